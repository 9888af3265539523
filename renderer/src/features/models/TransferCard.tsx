import { useState } from 'react';
import { useApp } from '../../stores/app-store';
import { useModels } from '../../stores/models-store';
import { ErrorLine, ProgressBar } from './bits';
import { diskSize } from '../../lib/format';

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
            Choose…
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
    <section className="card mp-card" aria-label="Offline transfer">
      <header className="mp-card-head">
        <h2>Move models without internet</h2>
      </header>
      <p className="muted small">
        Copy a model to a folder or USB drive, then import it on another laptop. Every file is checked (sha256) before
        the model appears.
      </p>
      {remote && (
        <p className="mp-note small">
          Ollama runs on another machine: export and import work on that machine’s own folder.
        </p>
      )}
      <div className="mp-transfer">
        <form
          className="mp-transfer-col"
          onSubmit={(e) => {
            e.preventDefault();
            void exportModel(chosen, exportDir);
          }}
        >
          <h3>Export</h3>
          <div className="mp-field">
            <label htmlFor="mp-export-model">Model</label>
            <select
              id="mp-export-model"
              value={chosen}
              onChange={(e) => setModel(e.target.value)}
              disabled={models.length === 0}
            >
              {models.length === 0 && <option value="">No models installed</option>}
              {models.map((m) => (
                <option key={m.name} value={m.name}>
                  {m.name} ({diskSize(m.sizeBytes)})
                </option>
              ))}
            </select>
          </div>
          <FolderField
            id="mp-export-dir"
            label="To folder"
            value={exportDir}
            onChange={setExportDir}
            purpose="export"
          />
          <button className="btn btn-primary" type="submit" disabled={busy || remote || !chosen || !exportDir.trim()}>
            {transfer.busy === 'export' ? 'Exporting…' : 'Export'}
          </button>
        </form>
        <form
          className="mp-transfer-col"
          onSubmit={(e) => {
            e.preventDefault();
            void importDir(importFrom, overwrite);
          }}
        >
          <h3>Import</h3>
          <FolderField
            id="mp-import-dir"
            label="From folder"
            value={importFrom}
            onChange={setImportFrom}
            purpose="import"
          />
          <label className="mp-check small">
            <input type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} />
            Replace a model that is installed with different contents
          </label>
          <button className="btn btn-primary" type="submit" disabled={busy || remote || !importFrom.trim()}>
            {transfer.busy === 'import' ? 'Importing…' : 'Import'}
          </button>
        </form>
      </div>
      {busy && (
        <div className="mp-transfer-busy">
          <ProgressBar value={null} label="Copying" />
          <span className="muted small">Copying and checking every file. A large model takes a few minutes.</span>
        </div>
      )}
      {r && (
        <p className="mp-ok small" role="status">
          {r.kind === 'export' ? 'Exported' : 'Imported'} {r.models.join(', ')} (
          {r.bytesCopied > 0 ? diskSize(r.bytesCopied) : 'nothing new to copy'}, {r.blobs} file
          {r.blobs === 1 ? '' : 's'} checked) {r.kind === 'export' ? 'to' : 'from'} <code>{r.dir}</code>.
        </p>
      )}
      {transfer.error && <ErrorLine title="Transfer failed:" text={transfer.error} />}
    </section>
  );
}
