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
      <PageHead
        title="Dashboard"
        lead="How AERIS-AQ is doing on this computer, and the upkeep that keeps it that way."
      />
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
