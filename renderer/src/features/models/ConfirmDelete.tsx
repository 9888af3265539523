import { useEffect, useRef } from 'react';
import { useModels } from '../../stores/models-store';
import { diskSize } from '../../lib/format';

/** "Delete qwen2.5:3b?" with what it frees and how to get it back. */
export function ConfirmDelete() {
  const name = useModels((s) => s.confirmDelete);
  const model = useModels((s) => s.installed?.models.find((m) => m.name === s.confirmDelete));
  const isDefault = useModels((s) => s.installed?.defaultModel === s.confirmDelete);
  const { askDelete, remove } = useModels.getState();
  const cancelRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!name) return;
    cancelRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        askDelete(null);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [name, askDelete]);

  if (!name) return null;
  return (
    <div className="modal-backdrop" onClick={() => askDelete(null)}>
      <div
        className="modal mp-confirm"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="mp-confirm-title"
        aria-describedby="mp-confirm-text"
        onClick={(e) => e.stopPropagation()}
      >
        <h2 id="mp-confirm-title">Delete {name}?</h2>
        <p id="mp-confirm-text">
          This frees {model ? diskSize(model.sizeBytes) : 'its space'} on disk.
          {isDefault && ' It is your default model, so new chats will use another one.'} To use it again, pull it (needs
          internet) or import it from a folder.
        </p>
        <div className="mp-confirm-actions">
          <button ref={cancelRef} className="btn" onClick={() => askDelete(null)}>
            Keep it
          </button>
          <button className="btn mp-danger-solid" onClick={() => void remove(name)}>
            Delete
          </button>
        </div>
      </div>
    </div>
  );
}
