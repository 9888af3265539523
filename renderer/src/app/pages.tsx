import type { ReactNode } from 'react';
import { ChatPage } from '../features/chat/ChatPage';

/** One entry per top-level page; the navigation rail and Ctrl/Cmd+1…9 follow this order. */
export interface PageDef {
  id: string;
  label: string;
  /** A small inline SVG (24×24 viewBox, stroke = currentColor). */
  icon: ReactNode;
  render: () => ReactNode;
}

const svg = (d: string) => (
  <svg width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
    <path d={d} />
  </svg>
);

export const PAGES: PageDef[] = [
  {
    id: 'chat',
    label: 'Chat',
    icon: svg('M4 5h16v11H8l-4 4z'),
    render: () => <ChatPage />,
  },
];
