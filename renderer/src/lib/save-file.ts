/** Hands a file made in the renderer to the browser as a download. */
export function saveFile(file: { filename: string; mimeType: string; content: string }): void {
  saveBlob(file.filename, new Blob([file.content], { type: file.mimeType }));
}

/** Hands bytes (a downloaded backup) to the browser as a download under `filename`. */
export function saveBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  // The click starts the download from the address; it is released once the browser has read it.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
