import { useApp } from '../../stores/app-store';
import { ChatView } from './ChatView';
import { Sidebar } from './Sidebar';

export function ChatPage() {
  const searchRef = useApp((s) => s.searchRef);
  return (
    <div className="layout">
      <Sidebar searchRef={searchRef} />
      <ChatView />
    </div>
  );
}
