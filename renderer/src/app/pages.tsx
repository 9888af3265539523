import type { ReactNode } from 'react';
import { ChatPage } from '../features/chat/ChatPage';
import { onDemand } from '../lib/on-demand';

type PageId = 'chat' | 'models' | 'dashboard' | 'sources' | 'data';

// Pages other than chat load when first opened: the first screen's script stays small.
const DataPage = onDemand(async () => (await import('../features/data/DataPage')).DataPage);
const DataSourcesPage = onDemand(async () => (await import('../features/sources/DataSourcesPage')).DataSourcesPage);
const ModelsPage = onDemand(async () => (await import('../features/models/ModelsPage')).ModelsPage);
const DashboardPage = onDemand(async () => (await import('../features/dashboard/DashboardPage')).DashboardPage);

/** One entry per top-level page; the navigation rail and Ctrl/Cmd+1…9 follow this order. */
interface PageDef {
  /** Also the locale key of its name: nav.<id>. */
  id: PageId;
  /** A small inline SVG (24×24 viewBox, stroke = currentColor). */
  icon: ReactNode;
  render: () => ReactNode;
}

const svg = (d: string) => (
  <svg
    width="22"
    height="22"
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    strokeWidth="1.8"
    strokeLinecap="round"
    strokeLinejoin="round"
    aria-hidden
  >
    <path d={d} />
  </svg>
);

export const PAGES: PageDef[] = [
  {
    id: 'chat',
    icon: svg('M4 5h16v11H8l-4 4z'),
    render: () => <ChatPage />,
  },
  {
    id: 'models',
    icon: svg('M12 3l8 4.5v9L12 21l-8-4.5v-9zM4 7.5l8 4.5 8-4.5M12 12v9'),
    render: () => <ModelsPage />,
  },
  {
    id: 'dashboard',
    icon: svg('M4 13h4v7H4zM10 8h4v12h-4zM16 4h4v16h-4z'),
    render: () => <DashboardPage />,
  },
  {
    id: 'sources',
    icon: svg('M4 18a8 8 0 0 1 16 0M7.5 18a4.5 4.5 0 0 1 9 0M12 18v.01M3 8h4M17 8h4M12 3v3'),
    render: () => <DataSourcesPage />,
  },
  { id: 'data', icon: svg('M4 19V5M4 19h16M8 15l3-4 3 2 5-6'), render: () => <DataPage /> },
];
