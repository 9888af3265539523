import type { ReactNode, RefObject } from 'react';

export interface StepProps {
  /** The step's title: focused when the step opens, so a screen reader announces it and Enter moves on. */
  headingRef: RefObject<HTMLHeadingElement | null>;
}

const ICONS = {
  chat: 'M4 5h16v11H8l-4 4z',
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
} as const;

export type IconName = keyof typeof ICONS;

export function Icon({ name, size = 20 }: { name: IconName; size?: number }) {
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
      aria-hidden
    >
      <path d={ICONS[name]} />
    </svg>
  );
}

export function Spinner({ label }: { label: string }) {
  return (
    <span className="ob-spinner" role="status">
      <span className="ob-spin" aria-hidden />
      {label}
    </span>
  );
}

export function StepHead({
  headingRef,
  title,
  children,
}: StepProps & {
  title: string;
  children?: ReactNode;
}) {
  return (
    <header className="ob-step-head">
      <h1 ref={headingRef} tabIndex={-1}>
        {title}
      </h1>
      {children && <p className="ob-lead">{children}</p>}
    </header>
  );
}

/** A line with a state: ok (green tick), warn (amber), bad (red), busy (spinner). */
export function StatusLine({
  tone,
  title,
  children,
  testId,
}: {
  tone: 'ok' | 'warn' | 'bad' | 'busy';
  title: string;
  children?: ReactNode;
  testId?: string;
}) {
  return (
    <div className={`ob-status tone-${tone}`} data-testid={testId} role={tone === 'bad' ? 'alert' : undefined}>
      <span className="ob-status-icon" aria-hidden>
        {tone === 'busy' ? <span className="ob-spin" /> : <Icon name={tone === 'ok' ? 'check' : 'alert'} size={18} />}
      </span>
      <div className="ob-status-body">
        <strong>{title}</strong>
        {children && <div className="ob-status-text">{children}</div>}
      </div>
    </div>
  );
}
