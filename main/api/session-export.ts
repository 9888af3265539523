import type { ToolActivity } from '../agent/tool-activity';
import type { MessageRecord, SessionRecord } from '../store/types';
import type { ChatSettings } from '../../preload/shared/chat-settings';

/** A conversation as Markdown (to read or share) or JSON (to re-import or analyse). */
export function exportSession(
  session: SessionRecord,
  messages: Array<MessageRecord & { tools?: ToolActivity[] }>,
  format: 'markdown' | 'json',
  /** The chat's own settings; written when it has any. */
  settings: ChatSettings = {},
): { filename: string; mimeType: string; content: string } {
  const slug =
    (session.title || 'conversation')
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 50) || 'conversation';
  if (format === 'json') {
    return {
      filename: `${slug}.json`,
      mimeType: 'application/json',
      content: JSON.stringify({ session, ...(Object.keys(settings).length ? { settings } : {}), messages }, null, 2),
    };
  }
  const lines = [
    `# ${session.title || 'Conversation'}`,
    '',
    `Model: ${session.model ?? 'default'} · Style: ${session.style}`,
    '',
  ];
  const tuned = [
    settings.temperature !== undefined ? `Temperature: ${settings.temperature}` : null,
    settings.contextLength !== undefined ? `Context length: ${settings.contextLength} tokens` : null,
  ].filter(Boolean);
  if (tuned.length) lines.push(tuned.join(' · '), '');
  if (settings.systemPrompt)
    lines.push('Instructions for this conversation:', '', `> ${settings.systemPrompt.split('\n').join('\n> ')}`, '');
  for (const m of messages) {
    const who = m.role === 'user' ? 'You' : m.role === 'assistant' ? 'AERIS-AQ' : m.role;
    lines.push(`## ${who} — ${new Date(m.createdAt).toISOString()}`, '', m.content);
    if (m.status !== 'complete') lines.push('', `_(${m.status}${m.error ? `: ${m.error}` : ''})_`);
    // The data behind an answer travels with it: which tool, for what, from which source, how fresh.
    const used = (m.tools ?? []).filter((t) => t.status !== 'running');
    if (used.length) {
      lines.push('', 'Data used:');
      for (const t of used) {
        const bits = [
          t.sources.length ? t.sources.join(', ') : null,
          t.cached ? (t.stale ? 'cached (stale)' : 'cached') : null,
          t.aqi ? `AQI ${t.aqi.value} ${t.aqi.category}` : null,
          t.status === 'error' ? `failed${t.summary ? `: ${t.summary}` : ''}` : null,
        ].filter(Boolean);
        lines.push(`- ${t.name}${t.label ? ` (${t.label})` : ''}${bits.length ? ` — ${bits.join(' · ')}` : ''}`);
      }
    }
    lines.push('');
  }
  return { filename: `${slug}.md`, mimeType: 'text/markdown', content: lines.join('\n') };
}
