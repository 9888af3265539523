/** Reads an SSE chat stream from `aeris serve`: each token event's text and when it arrived. */
export async function streamChat(
  url: string,
  token: string,
  body: Record<string, unknown>,
  onToken: (content: string, at: number) => void = () => {},
): Promise<{ firstTokenAt: number; endAt: number; text: string; events: number; response: string | undefined }> {
  const res = await fetch(`${url}/api/v1/agent/chat/stream`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok || !res.body) throw new Error(`chat stream answered ${res.status}: ${await res.text()}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  let text = '';
  let events = 0;
  let firstTokenAt = 0;
  let response: string | undefined;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const at = performance.now();
    buf += value;
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const frame = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const ev = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1] ?? 'null';
      if (ev === 'token') {
        const content = (JSON.parse(data) as { content: string }).content;
        if (!firstTokenAt) firstTokenAt = at;
        text += content;
        events++;
        onToken(content, at);
      } else if (ev === 'response') response = (JSON.parse(data) as { data: { response: string } }).data.response;
    }
  }
  return { firstTokenAt, endAt: performance.now(), text, events, response };
}
