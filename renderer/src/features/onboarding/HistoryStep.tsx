import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { LegacyImportReportDto } from '../../../../preload/contract';
import { errorText, getApi, getHttpBridge } from '../../bridge';
import { FileDrop } from '../../components/FileDrop';
import { useCall } from '../../lib/use-call';
import { useApp } from '../../stores/app-store';
import { Icon, StatusLine, StepHead, type StepProps } from './bits';
import { importLegacyHistory, legacyReportWords } from './legacy-import';

type Run =
  | { state: 'idle' }
  | { state: 'busy'; name: string }
  | { state: 'done'; report: LegacyImportReportDto }
  | { state: 'failed'; text: string };

/** Optional: the chat history of the original AERIS-AQ server (AirQualityAgent), from its SQLite file. */
export function HistoryStep({ headingRef }: StepProps) {
  const { t } = useTranslation();
  const [run, setRun] = useState<Run>({ state: 'idle' });
  // The server's database where it keeps it, found by the engine; offered before the manual choice. Looking is
  // a convenience: when it fails, the manual choice below is still there.
  const found = useCall('imports.legacyFound', {}).data;

  const importWith = async (name: string, go: () => Promise<LegacyImportReportDto>) => {
    setRun({ state: 'busy', name });
    try {
      const report = await go();
      setRun({ state: 'done', report });
      // The sidebar lists the imported conversations as soon as the wizard closes.
      void useApp.getState().refreshSessions();
    } catch (err) {
      setRun({ state: 'failed', text: errorText(err) });
    }
  };
  const pick = async (file: File) => {
    await importWith(file.name, () => importLegacyHistory(file, getApi(), getHttpBridge()));
  };

  return (
    <>
      <StepHead headingRef={headingRef} title={t('wizard.history.title')}>
        {t('wizard.history.lead')}
      </StepHead>
      {found && (
        <section className="ob-panel ob-history" aria-labelledby="ob-history-found" data-testid="ob-history-found">
          <h2 id="ob-history-found">
            <Icon name="chat" size={18} /> {t('wizard.history.foundTitle')}
          </h2>
          <p className="ob-summary">
            {t('wizard.history.found', {
              conversations: t('wizard.history.conversations', { count: found.sessions }),
              messages: t('wizard.history.messages', { count: found.messages }),
              path: found.path,
            })}
          </p>
          <div className="ob-actions">
            <button
              className="btn btn-primary"
              onClick={() => void importWith(found.path, () => getApi().call('imports.legacyImportFound', {}))}
              disabled={run.state === 'busy'}
            >
              <Icon name="download" size={16} /> {t('wizard.history.importFound')}
            </button>
          </div>
        </section>
      )}
      <section className="ob-panel ob-history" aria-labelledby="ob-history-file">
        <h2 id="ob-history-file">
          <Icon name="chat" size={18} /> {t('wizard.history.database')}
        </h2>
        <p className="ob-summary">
          <Trans i18nKey="wizard.history.chooseText" components={{ code: <code /> }} />
        </p>
        <div className="ob-actions">
          <FileDrop
            accept=".db,.sqlite,.sqlite3"
            inputLabel={t('wizard.history.fileLabel')}
            onFiles={([file]) => void pick(file!)}
          >
            {(choose) => (
              <button className="btn" onClick={choose} disabled={run.state === 'busy'}>
                <Icon name="file" size={16} /> {t('wizard.history.choose')}
              </button>
            )}
          </FileDrop>
        </div>
      </section>
      <div data-testid="ob-history-result" aria-live="polite">
        {run.state === 'busy' && <StatusLine tone="busy" title={t('wizard.history.importing', { name: run.name })} />}
        {run.state === 'done' && <Report report={run.report} />}
        {run.state === 'failed' && (
          <StatusLine tone="bad" title={t('wizard.history.failed')}>
            {run.text}
          </StatusLine>
        )}
      </div>
    </>
  );
}

function Report({ report }: { report: LegacyImportReportDto }) {
  const words = legacyReportWords(report);
  return (
    <StatusLine tone="ok" title={words.title}>
      {words.detail}
    </StatusLine>
  );
}
