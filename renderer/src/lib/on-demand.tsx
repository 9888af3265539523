import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { t } from '../i18n';

function Loading() {
  return <div className="muted pad">{t('common.loading')}</div>;
}

/**
 * A component whose code loads the first time it is shown, so that the first screen's script stays small
 * (pages, the wizard, the recovery screen, settings, charts). `fallback` shows for the moment it loads.
 */
export function onDemand<P extends object>(
  load: () => Promise<ComponentType<P>>,
  fallback: ReactNode = <Loading />,
): ComponentType<P> {
  const Loaded = lazy(async () => ({ default: await load() }));
  return function OnDemand(props: P) {
    return (
      <Suspense fallback={fallback}>
        <Loaded {...props} />
      </Suspense>
    );
  };
}
