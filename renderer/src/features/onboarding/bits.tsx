import type { ReactNode, RefObject } from 'react';

export interface StepProps {
  /** The step's title: focused when the step opens, so a screen reader announces it and Enter moves on. */
  headingRef: RefObject<HTMLHeadingElement | null>;
}

import { Icon } from '../../components/Icon';

export { Icon };
export type { IconName } from '../../components/Icon';

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
