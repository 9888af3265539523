import type { MessageRecord } from '../store/types';
import type { Store } from '../store/store';
import type { ToolActivity } from '../agent/tool-activity';

/** Messages with their tool activity attached, as MessageDto carries them. */
export function withToolActivity(
  store: Store,
  messages: MessageRecord[],
): Array<MessageRecord & { tools: ToolActivity[] }> {
  const ids = messages.filter((m) => m.role === 'assistant').map((m) => m.id);
  const byId = store.toolActivity.forMessages(ids);
  return messages.map((m) => {
    const tools = byId.get(m.id) ?? [];
    // A reply that ended (stopped, crashed) while a tool ran: that tool will never finish.
    const settled =
      m.status === 'streaming'
        ? tools
        : tools.map((t) =>
            t.status === 'running' ? { ...t, status: 'error' as const, summary: t.summary ?? 'Did not finish.' } : t,
          );
    return { ...m, tools: settled };
  });
}
