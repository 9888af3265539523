import { useState, type ClipboardEvent, type DragEvent, type ReactNode } from 'react';

/** Where files may be dropped (and, with `paste`, pasted): the element around the content. */
interface DropZone {
  className: string;
  /** Added to `className` while files are dragged over the zone. */
  overClassName: string;
  testId: string;
  /** Files pasted while the focus is inside the zone are taken too; pasted text stays text. */
  paste?: boolean;
}

interface FileDropProps {
  /** Which files the picker offers (the hidden input's `accept`). */
  accept: string;
  /** The hidden input's accessible name: what assistive technology and the e2e tests find it by. */
  inputLabel: string;
  multiple?: boolean;
  /** The chosen, dropped or pasted files; never empty, and one file unless `multiple`. */
  onFiles: (files: File[]) => void;
  /** Without a zone, only the picker: the content and the hidden input, with no element around them. */
  zone?: DropZone;
  /**
   * The content. `choose` opens the file picker: call it from a real <button>, so that the picker is
   * reachable from the keyboard (the input itself is hidden and cannot take the focus).
   */
  children: (choose: () => void) => ReactNode;
}

/** A hidden file input opened by a button of the caller's, optionally inside a zone that takes dropped files. */
export function FileDrop({ accept, inputLabel, multiple = false, onFiles, zone, children }: FileDropProps) {
  // The input element kept as state, not a ref: `choose` is made while rendering, where refs are not read.
  const [input, setInput] = useState<HTMLInputElement | null>(null);
  const [over, setOver] = useState(false);
  const take = (list: FileList | null | undefined) => {
    const files = [...(list ?? [])];
    if (files.length) onFiles(multiple ? files : files.slice(0, 1));
  };
  const picker = (
    <input
      ref={setInput}
      type="file"
      accept={accept}
      multiple={multiple}
      hidden
      aria-label={inputLabel}
      onChange={(e) => {
        take(e.currentTarget.files);
        // Emptied so that choosing the same file again is a change too.
        e.currentTarget.value = '';
      }}
    />
  );
  const content = children(() => input?.click());
  if (!zone) {
    return (
      <>
        {content}
        {picker}
      </>
    );
  }
  // Only drags that carry files are accepted: dragged text or links are left to the page.
  const onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    setOver(true);
  };
  const onDrop = (e: DragEvent) => {
    if (!e.dataTransfer?.files.length) return;
    e.preventDefault();
    setOver(false);
    take(e.dataTransfer.files);
  };
  const onPaste = (e: ClipboardEvent) => {
    if (!e.clipboardData?.files.length) return;
    e.preventDefault();
    take(e.clipboardData.files);
  };
  return (
    <div
      className={over ? `${zone.className} ${zone.overClassName}` : zone.className}
      data-testid={zone.testId}
      onDragOver={onDragOver}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      {...(zone.paste ? { onPaste } : {})}
    >
      {content}
      {picker}
    </div>
  );
}
