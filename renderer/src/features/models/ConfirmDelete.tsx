import { useModels } from '../../stores/models-store';
import { diskSize } from '../../lib/format';
import { ConfirmDialog } from '../../components/Dialog';
import { t } from '../../i18n';

/** "Delete qwen2.5:3b?" with what it frees and how to get it back. */
export function ConfirmDelete() {
  const name = useModels((s) => s.confirmDelete);
  const model = useModels((s) => s.installed?.models.find((m) => m.name === s.confirmDelete));
  const isDefault = useModels((s) => s.installed?.defaultModel === s.confirmDelete);
  const { askDelete, remove } = useModels.getState();

  if (!name) return null;
  return (
    <ConfirmDialog
      title={t('models.delete.title', { name })}
      confirmLabel={t('common.delete')}
      cancelLabel={t('models.delete.keep')}
      danger
      onCancel={() => askDelete(null)}
      onConfirm={() => void remove(name)}
    >
      <p>
        {t('models.delete.frees', { size: model ? diskSize(model.sizeBytes) : t('models.delete.itsSpace') })}
        {isDefault && ` ${t('models.delete.isDefault')}`} {t('models.delete.again')}
      </p>
    </ConfirmDialog>
  );
}
