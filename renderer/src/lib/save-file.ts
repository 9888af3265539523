/** Hands a file made in the renderer to the browser as a download. */
export function saveFile(file: { filename: string; mimeType: string; content: string }): void {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  a.click();
  // The click starts the download from the address; it is released once the browser has read it.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
