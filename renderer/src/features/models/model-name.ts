/**
 * Ollama's model-name rules (types/model/name.go), checked as the person types so a bad name never
 * reaches the engine; the engine checks again (the renderer may import only types from main's side).
 * `[host/][namespace/]model[:tag]`, parts starting with a letter, digit or `_`.
 */
const PART = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}$/;
const NAMESPACE = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,79}$/;
const HOST = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,340}(?::\d{1,5})?$/;

/** Null when the name is fine; otherwise what is wrong, in words. */
export function modelNameProblem(raw: string): string | null {
  const value = raw.trim();
  if (!value) return 'Type a model name, like qwen2.5:3b.';
  if (/\s/.test(value)) return 'A model name has no spaces. Use a name like qwen2.5:3b.';
  if (value.length > 500) return 'That name is too long.';
  const slash = value.lastIndexOf('/');
  const colon = value.lastIndexOf(':');
  const [path, tag] = colon > slash ? [value.slice(0, colon), value.slice(colon + 1)] : [value, 'latest'];
  const parts = path.split('/');
  if (parts.length > 3) return 'Too many "/" parts: use model:tag or namespace/model:tag.';
  const model = parts.pop() ?? '';
  const namespace = parts.pop();
  const host = parts.pop();
  if (!PART.test(model))
    return `"${model || value}" is not a valid model name: letters, digits, "_", "-" and "." only.`;
  if (!PART.test(tag)) return `"${tag}" is not a valid tag: letters, digits, "_", "-" and "." only.`;
  if (namespace !== undefined && !NAMESPACE.test(namespace)) return `"${namespace}" is not a valid namespace.`;
  if (host !== undefined && !HOST.test(host)) return `"${host}" is not a valid registry host.`;
  return null;
}

/** `qwen2.5` and `qwen2.5:latest` are the same model. */
export function withTag(name: string): string {
  const last = name.slice(name.lastIndexOf('/') + 1);
  return last.includes(':') ? name : `${name}:latest`;
}
