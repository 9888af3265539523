import { useModels } from '../../stores/models-store';
import { diskSize } from '../../lib/format';
import { ConfirmDialog } from '../../components/Dialog';

/** "Delete qwen2.5:3b?" with what it frees and how to get it back. */
export function ConfirmDelete() {
  const name = useModels((s) => s.confirmDelete);
  const model = useModels((s) => s.installed?.models.find((m) => m.name === s.confirmDelete));
  const isDefault = useModels((s) => s.installed?.defaultModel === s.confirmDelete);
  const { askDelete, remove } = useModels.getState();

  if (!name) return null;
  return (
    <ConfirmDialog
      title={`Delete ${name}?`}
      confirmLabel="Delete"
      cancelLabel="Keep it"
      danger
      onCancel={() => askDelete(null)}
      onConfirm={() => void remove(name)}
    >
      <p>
        This frees {model ? diskSize(model.sizeBytes) : 'its space'} on disk.
        {isDefault && ' It is your default model, so new chats will use another one.'} To use it again, download it
        (needs internet) or import it from a folder.
      </p>
    </ConfirmDialog>
  );
}
