import { useEffect } from 'react';
import { useModels } from '../../stores/models-store';
import { CatalogCard } from './CatalogCard';
import { ConfirmDelete } from './ConfirmDelete';
import { DiskCard } from './DiskCard';
import { EngineCard } from './EngineCard';
import { InstalledCard } from './InstalledCard';
import { PullsCard } from './PullsCard';
import { TransferCard } from './TransferCard';
import { PageHead } from '../../components/PageHead';
import './models.css';
import { t } from '../../i18n';

/** Run Ollama, see and manage installed models, pull new ones that fit, move them offline. */
export function ModelsPage() {
  useEffect(() => {
    void useModels.getState().init();
    // Loaded models expire (keep_alive) and free VRAM changes: refresh now and then while the page is open.
    const timer = setInterval(() => void useModels.getState().refreshInstalled(), 15_000);
    return () => clearInterval(timer);
  }, []);

  return (
    <div className="page-body mp-page">
      <PageHead title={t('nav.models')} lead={t('models.lead')} />
      <div className="mp-top">
        <EngineCard />
        <DiskCard />
      </div>
      <PullsCard />
      <InstalledCard />
      <CatalogCard />
      <TransferCard />
      <ConfirmDelete />
    </div>
  );
}
