import { useState } from 'react';
import { useApp } from '../../stores/app-store';
import { useModels } from '../../stores/models-store';
import { ErrorLine, ProgressBar } from './bits';
import { diskSize } from '../../lib/format';
import { t } from '../../i18n';

function FolderField({
  id,
  label,
  value,
  onChange,
  purpose,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  purpose: 'export' | 'import';
}) {
  const shell = useApp((s) => s.info?.shell);
  const { pickFolder } = useModels.getState();
  return (
    <div className="mp-field">
      <label htmlFor={id}>{label}</label>
      <div className="row">
        <input
          id={id}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          placeholder={navigator.userAgent.includes('Windows') ? 'E:\\models' : '/media/usb/models'}
          spellCheck={false}
          autoComplete="off"
        />
        {/* A native picker exists only in the desktop app; in a browser the path is typed. */}
        {shell === 'electron' && (
          <button
            className="btn"
            type="button"
            onClick={() =>
              void pickFolder(purpose).then((p) => {
                if (p) onChange(p);
              })
            }
          >
            {t('wizard.model.choose')}
          </button>
        )}
      </div>
    </div>
  );
}

/** Export a model to a folder or USB drive, import one from there: for laptops without internet. */
export function TransferCard() {
  const installed = useModels((s) => s.installed);
  const transfer = useModels((s) => s.transfer);
  const { exportModel, importDir } = useModels.getState();
  const [model, setModel] = useState('');
  const [exportDir, setExportDir] = useState('');
  const [importFrom, setImportFrom] = useState('');
  const [overwrite, setOverwrite] = useState(false);
  const models = installed?.models ?? [];
  const chosen = model || models[0]?.name || '';
  const remote = installed !== null && installed.disk.modelsDir === null;
  const busy = transfer.busy !== null;
  const r = transfer.result;
  return (
    <section className="card mp-card" aria-label={t('models.transfer.label')}>
      <header className="mp-card-head">
        <h2>{t('models.transfer.title')}</h2>
      </header>
      <p className="muted small">{t('models.transfer.lead')}</p>
      {remote && <p className="mp-note small">{t('models.transfer.remote')}</p>}
      <div className="mp-transfer">
        <form
          className="mp-transfer-col"
          onSubmit={(e) => {
            e.preventDefault();
            void exportModel(chosen, exportDir);
          }}
        >
          <h3>{t('models.transfer.export')}</h3>
          <div className="mp-field">
            <label htmlFor="mp-export-model">{t('chat.header.model')}</label>
            <select
              id="mp-export-model"
              value={chosen}
              onChange={(e) => setModel(e.target.value)}
              disabled={models.length === 0}
            >
              {models.length === 0 && <option value="">{t('chat.header.noModels')}</option>}
              {models.map((m) => (
                <option key={m.name} value={m.name}>
                  {m.name} ({diskSize(m.sizeBytes)})
                </option>
              ))}
            </select>
          </div>
          <FolderField
            id="mp-export-dir"
            label={t('models.transfer.toFolder')}
            value={exportDir}
            onChange={setExportDir}
            purpose="export"
          />
          <button className="btn btn-primary" type="submit" disabled={busy || remote || !chosen || !exportDir.trim()}>
            {transfer.busy === 'export' ? t('models.transfer.exporting') : t('models.transfer.export')}
          </button>
        </form>
        <form
          className="mp-transfer-col"
          onSubmit={(e) => {
            e.preventDefault();
            void importDir(importFrom, overwrite);
          }}
        >
          <h3>{t('wizard.model.import')}</h3>
          <FolderField
            id="mp-import-dir"
            label={t('models.transfer.fromFolder')}
            value={importFrom}
            onChange={setImportFrom}
            purpose="import"
          />
          <label className="mp-check small">
            <input type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} />
            {t('models.transfer.overwrite')}
          </label>
          <button className="btn btn-primary" type="submit" disabled={busy || remote || !importFrom.trim()}>
            {transfer.busy === 'import' ? t('wizard.model.importing') : t('wizard.model.import')}
          </button>
        </form>
      </div>
      {busy && (
        <div className="mp-transfer-busy">
          <ProgressBar value={null} label={t('models.transfer.copying')} />
          <span className="muted small">{t('wizard.model.copying')}</span>
        </div>
      )}
      {r && (
        <p className="mp-ok small" role="status">
          {t(r.kind === 'export' ? 'models.transfer.exportedTo' : 'models.transfer.importedFrom', {
            models: r.models.join(', '),
            copied: r.bytesCopied > 0 ? diskSize(r.bytesCopied) : t('models.transfer.nothingNew'),
            files: t('models.transfer.filesChecked', { count: r.blobs }),
          })}{' '}
          <code>{r.dir}</code>.
        </p>
      )}
      {transfer.error && <ErrorLine title={t('models.transfer.failed')} text={transfer.error} />}
    </section>
  );
}
