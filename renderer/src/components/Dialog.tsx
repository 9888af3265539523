import { useEffect, useEffectEvent, useId, useRef, type ReactNode } from 'react';
import { Icon } from './Icon';
import { t } from '../i18n';

interface DialogProps {
  /** The visible title; it also names the dialog for screen readers. */
  title: ReactNode;
  /** Asked to close (Escape, the × button, a click on the backdrop); the owner unmounts or hides it. */
  onClose: () => void;
  children: ReactNode;
  /** Buttons along the bottom. */
  actions?: ReactNode;
  /** `alertdialog` for a question that must be answered (a delete); `dialog` otherwise. */
  role?: 'dialog' | 'alertdialog';
  /** Id of the element that describes the dialog (announced after the title). */
  describedBy?: string;
  /** Extra class on the dialog (width, layout). */
  className?: string;
  /** Hides the × button (a question with its own Cancel). */
  noCloseButton?: boolean;
}

/**
 * The one modal of the app, on the native `<dialog>`: `showModal()` makes the page behind it inert (focus stays
 * inside, the backdrop is drawn by the browser), Escape asks to close, and focus returns to what had it before.
 * Mounted = open.
 */
export function Dialog({
  title,
  onClose,
  children,
  actions,
  role = 'dialog',
  describedBy,
  className,
  noCloseButton,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const close = useEffectEvent(() => onClose());

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const onCancel = (e: Event) => {
      // The browser would close it by itself; the owner decides (it unmounts us).
      e.preventDefault();
      close();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      if (before?.isConnected) before.focus();
    };
  }, []);

  return (
    // A click on the <dialog> itself (not its content) is a click on the backdrop.
    // eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions, jsx-a11y/click-events-have-key-events
    <dialog
      ref={ref}
      className={`dialog ${className ?? ''}`}
      role={role === 'alertdialog' ? 'alertdialog' : undefined}
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      onClick={(e) => e.target === e.currentTarget && onClose()}
    >
      <div className="dialog-body">
        <header className="dialog-header">
          <h2 id={titleId}>{title}</h2>
          {!noCloseButton && (
            <button type="button" className="icon-btn" aria-label={t('common.close')} onClick={onClose}>
              <Icon name="close" size={18} />
            </button>
          )}
        </header>
        {children}
        {actions && <div className="dialog-actions">{actions}</div>}
      </div>
    </dialog>
  );
}

interface ConfirmDialogProps {
  title: ReactNode;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  /** A destructive action: the confirm button is drawn in the danger colour, focus starts on Cancel. */
  danger?: boolean;
  busy?: boolean;
  confirmDisabled?: boolean;
  /** `dialog` when the question comes with more to read or tick (a restore preview). */
  role?: 'dialog' | 'alertdialog';
  onConfirm: () => void;
  onCancel: () => void;
}

/** A yes/no question on the one Dialog (deleting a chat or a model, restoring a backup). */
export function ConfirmDialog(p: ConfirmDialogProps) {
  const textId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), []);
  return (
    <Dialog
      title={p.title}
      role={p.role ?? 'alertdialog'}
      describedBy={textId}
      onClose={p.onCancel}
      noCloseButton
      actions={
        <>
          <button ref={cancelRef} type="button" className="btn" onClick={p.onCancel} disabled={p.busy}>
            {p.cancelLabel ?? t('common.cancel')}
          </button>
          <button
            type="button"
            className={`btn ${p.danger ? 'btn-danger' : 'btn-primary'}`}
            onClick={p.onConfirm}
            disabled={p.busy || p.confirmDisabled}
          >
            {p.confirmLabel}
          </button>
        </>
      }
    >
      <div id={textId}>{p.children}</div>
    </Dialog>
  );
}
