/** The app's one icon set: 24×24 outline paths drawn in the current text colour. */
const ICONS = {
  chat: 'M4 5h16v11H8l-4 4z',
  models: 'M12 3l8 4.5v9L12 21l-8-4.5v-9zM4 7.5l8 4.5 8-4.5M12 12v9',
  dashboard: 'M4 13h4v7H4zM10 8h4v12h-4zM16 4h4v16h-4z',
  sources: 'M4 18a8 8 0 0 1 16 0M7.5 18a4.5 4.5 0 0 1 9 0M12 18v.01M3 8h4M17 8h4M12 3v3',
  data: 'M4 19V5M4 19h16M8 15l3-4 3 2 5-6',
  backup: 'M12 3v12M7 10l5 5 5-5M4 17v3h16v-3',
  gear: 'M12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6zM12 2v3M12 19v3M4.2 4.2l2.1 2.1M17.7 17.7l2.1 2.1M2 12h3M19 12h3M4.2 19.8l2.1-2.1M17.7 6.3l2.1-2.1',
  download: 'M12 3v12M7 10l5 5 5-5M5 21h14',
  live: 'M4 18a8 8 0 0 1 16 0M7.5 18a4.5 4.5 0 0 1 9 0M12 18v.01',
  gpu: 'M3 7h18v10H3zM7 17v3M17 17v3M7 11h4v2H7zM14 11h3',
  memory: 'M4 8h16v8H4zM8 8v8M12 8v8M16 8v8M6 16v3M18 16v3',
  cpu: 'M7 7h10v10H7zM10 10h4v4h-4zM10 3v4M14 3v4M10 17v4M14 17v4M3 10h4M3 14h4M17 10h4M17 14h4',
  disk: 'M4 6h16v12H4zM4 13h16M16.5 15.5h.01',
  usb: 'M9 2h6v6H9zM7 8h10v8a5 5 0 0 1-10 0zM12 21v1',
  network:
    'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM3 12h18M12 3c2.5 2.7 3.8 5.7 3.8 9s-1.3 6.3-3.8 9M12 3c-2.5 2.7-3.8 5.7-3.8 9s1.3 6.3 3.8 9',
  check: 'M5 12.5l4.5 4.5L19 7',
  alert: 'M12 4l9 16H3zM12 10v4M12 17v.01',
  lock: 'M6 11h12v9H6zM8.5 11V8a3.5 3.5 0 0 1 7 0v3',
  spark: 'M12 3v4M12 17v4M3 12h4M17 12h4M6 6l2.5 2.5M15.5 15.5L18 18M6 18l2.5-2.5M15.5 8.5L18 6',
  trash: 'M3 6h18M8 6V4h8v2M6 6l1 14h10l1-14',
  pencil: 'M4 20h4L19 9l-4-4L4 16zM13.5 6.5l4 4',
  close: 'M6 6l12 12M18 6L6 18',
  menu: 'M4 6h16M4 12h16M4 18h16',
  plus: 'M12 5v14M5 12h14',
  chevronLeft: 'M15 5l-7 7 7 7',
  chevronRight: 'M9 5l7 7-7 7',
  chevronDown: 'M5 9l7 7 7-7',
  paperclip: 'M16.5 6.5l-7.8 7.8a2 2 0 0 0 2.8 2.8l8-8a4 4 0 0 0-5.7-5.7l-8 8a6 6 0 0 0 8.5 8.5l7.2-7.2',
  file: 'M6 3h8l4 4v14H6zM14 3v4h4',
  tool: 'M14.5 6.5a4 4 0 0 0-5.3 5.3L4 17l3 3 5.2-5.2a4 4 0 0 0 5.3-5.3l-2.5 2.5-2.5-.5-.5-2.5z',
} as const;

export type IconName = keyof typeof ICONS;

/** Decorative by default (hidden from screen readers): the button or text beside it carries the words. */
export function Icon({ name, size = 20, label }: { name: IconName; size?: number; label?: string }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      className="icon"
      {...(label ? { role: 'img', 'aria-label': label } : { 'aria-hidden': true })}
    >
      <path d={ICONS[name]} />
    </svg>
  );
}
