import { useEffect } from 'react';
import { useDashboard } from '../../stores/dashboard-store';
import { BackupsCard } from './BackupsCard';
import { HardwareCard } from './HardwareCard';
import { HealthCard } from './HealthCard';
import { LogViewer } from './LogViewer';
import { MaintenanceCard } from './MaintenanceCard';
import { MetricsCard } from './MetricsCard';
import { PageHead } from '../../components/PageHead';
import './dashboard.css';
import { t } from '../../i18n';

/** Operations in one place: health, this computer, activity, backups, database upkeep and logs. */
export function DashboardPage() {
  useEffect(() => {
    useDashboard.getState().init();
    // Health and charts move on their own; refresh them while the page is open.
    const timer = setInterval(() => {
      void useDashboard.getState().refreshHealth();
      void useDashboard.getState().refreshMetrics();
    }, 30_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <div className="page-body db-page">
      <PageHead title={t('nav.dashboard')} lead={t('dashboard.lead')} />
      <div className="db-grid db-grid-top">
        <HealthCard />
        <HardwareCard />
      </div>
      <MetricsCard />
      <div className="db-grid db-grid-ops">
        <BackupsCard />
        <MaintenanceCard />
      </div>
      <LogViewer />
    </div>
  );
}
