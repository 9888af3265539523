import type { MessageRecord, SessionRecord } from '../store/types';

/** A conversation as Markdown (to read or share) or JSON (to re-import or analyse). */
export function exportSession(
  session: SessionRecord,
  messages: MessageRecord[],
  format: 'markdown' | 'json',
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
      content: JSON.stringify({ session, messages }, null, 2),
    };
  }
  const lines = [
    `# ${session.title || 'Conversation'}`,
    '',
    `Model: ${session.model ?? 'default'} · Style: ${session.style}`,
    '',
  ];
  for (const m of messages) {
    const who = m.role === 'user' ? 'You' : m.role === 'assistant' ? 'AERIS-AQ' : m.role;
    lines.push(`## ${who} — ${new Date(m.createdAt).toISOString()}`, '', m.content);
    if (m.status !== 'complete') lines.push('', `_(${m.status}${m.error ? `: ${m.error}` : ''})_`);
    lines.push('');
  }
  return { filename: `${slug}.md`, mimeType: 'text/markdown', content: lines.join('\n') };
}
