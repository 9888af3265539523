/**
 * A chat request's JSON with each tool definition's JSON kept between requests. The tool registry hands out the
 * same definition objects every time (it caches them), and their ~16 KB of schemas made JSON.stringify ~0.1 ms of
 * every request before the first token (bench/chat-overhead.bench.ts). Definitions must not be changed once
 * sent: a changed one would go out as it first was.
 */
const toolJson = new WeakMap<object, string>();

function jsonOfTool(tool: unknown): string {
  if (tool === null || typeof tool !== 'object') return JSON.stringify(tool) ?? 'null';
  let json = toolJson.get(tool);
  if (json === undefined) {
    json = JSON.stringify(tool);
    toolJson.set(tool, json);
  }
  return json;
}

/** JSON.stringify(body), the same value, with `tools` (when it is an array) from the kept definitions. */
export function requestJson(body: unknown): string {
  const tools = (body as { tools?: unknown } | null)?.tools;
  if (!Array.isArray(tools)) return JSON.stringify(body);
  const { tools: _tools, ...rest } = body as { tools: unknown[] };
  const head = JSON.stringify(rest);
  const list = `"tools":[${tools.map(jsonOfTool).join(',')}]`;
  return head === '{}' ? `{${list}}` : `${head.slice(0, -1)},${list}}`;
}
