import { useId, type ReactNode } from 'react';

/** A titled panel of a page; the title names the region for screen readers. */
export function Card({
  title,
  actions,
  children,
  className,
  testId,
}: {
  title: ReactNode;
  /** Buttons at the right of the title. */
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  const id = useId();
  return (
    <section className={`card ui-card ${className ?? ''}`} aria-labelledby={id} data-testid={testId}>
      <header className="ui-card-head">
        <h2 id={id}>{title}</h2>
        {actions && <div className="ui-card-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}
