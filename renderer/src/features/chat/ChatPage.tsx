import { useEffect } from 'react';
import { useApp } from '../../stores/app-store';
import { ChatView } from './ChatView';
import { Sidebar } from './Sidebar';
import { useDrawer } from './drawer-store';

export function ChatPage() {
  const open = useDrawer((s) => s.open);
  const activeId = useApp((s) => s.activeId);
  const { setOpen } = useDrawer.getState();
  // Picking a conversation (or starting one) closes the drawer on a narrow window.
  useEffect(() => setOpen(false), [activeId, setOpen]);
  return (
    // Escape anywhere in the chat page closes the drawer and gives focus back to its button.
    // eslint-disable-next-line jsx-a11y/no-static-element-interactions
    <div
      className={`layout ${open ? 'drawer-open' : ''}`}
      onKeyDown={(e) => {
        if (!open || e.key !== 'Escape') return;
        e.preventDefault();
        setOpen(false);
        document.getElementById('drawer-toggle')?.focus();
      }}
    >
      <div
        className="drawer"
        id="conversation-drawer"
        onClickCapture={(e) => {
          // Opening a conversation or starting one closes the drawer (also the one already open).
          if ((e.target as HTMLElement).closest('.new-chat, .session-main, .search-hit')) setOpen(false);
        }}
      >
        <Sidebar />
      </div>
      {open && <div className="drawer-scrim" aria-hidden onClick={() => setOpen(false)} />}
      <ChatView />
    </div>
  );
}
