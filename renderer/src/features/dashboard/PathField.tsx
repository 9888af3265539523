import type { ReactNode } from 'react';
import { t } from '../../i18n';

/**
 * A path typed on the engine's machine (the export folder, the backup file to import), with the shell's
 * folder picker when `onPick` is given and the field's own action beside it.
 */
export function PathField({
  label,
  value,
  onChange,
  placeholder,
  onPick,
  children,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  onPick?: () => void;
  children?: ReactNode;
}) {
  return (
    <label className="db-field">
      <span className="small">{label}</span>
      <span className="db-inline">
        <input value={value} onChange={(e) => onChange(e.target.value)} placeholder={placeholder} spellCheck={false} />
        {onPick && (
          <button className="btn db-btn-small" onClick={onPick}>
            {t('wizard.model.choose')}
          </button>
        )}
        {children}
      </span>
    </label>
  );
}
