import { useEffect } from 'react';

export interface Shortcut {
  /** e.g. "mod+shift+o", "mod+k", "escape"; mod = Ctrl (Cmd on macOS). */
  keys: string;
  label: string;
  run: () => void;
}

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

export function shortcutText(keys: string): string {
  return keys
    .split('+')
    .map((k) =>
      k === 'mod' ? (isMac ? '⌘' : 'Ctrl') : k === 'shift' ? 'Shift' : k === 'escape' ? 'Esc' : k.toUpperCase(),
    )
    .join('+');
}

function matches(e: KeyboardEvent, keys: string): boolean {
  const parts = keys.split('+');
  const key = parts[parts.length - 1]!;
  const mod = parts.includes('mod');
  const shift = parts.includes('shift');
  if (mod !== (isMac ? e.metaKey : e.ctrlKey)) return false;
  if (shift !== e.shiftKey) return false;
  return e.key.toLowerCase() === key;
}

export function useShortcuts(shortcuts: Shortcut[]): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // A modal dialog has the keyboard (Escape closes it); something below already handled the key.
      if (e.defaultPrevented || document.querySelector('dialog[open]')) return;
      for (const s of shortcuts) {
        if (matches(e, s.keys)) {
          e.preventDefault();
          s.run();
          return;
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [shortcuts]);
}
