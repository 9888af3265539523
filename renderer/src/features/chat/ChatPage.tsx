import { ChatView } from './ChatView';
import { Sidebar } from './Sidebar';

export function ChatPage() {
  return (
    <div className="layout">
      <Sidebar />
      <ChatView />
    </div>
  );
}
