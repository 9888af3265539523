/**
 * Ollama model names, as the server parses them (types/model/name.go):
 * `[host/][namespace/]model[:tag]`, each part 1–80 chars (host 350) starting with a letter, digit or `_`,
 * then letters, digits, `_`, `-`, `.` (no `.` in a namespace; a host may carry `:port`).
 * One grammar for the engine (which checks before any request or path on disk) and the UI (which says
 * what is wrong as the person types).
 */
export interface ModelName {
  host: string;
  namespace: string;
  model: string;
  tag: string;
}

const DEFAULT_REGISTRY = 'registry.ollama.ai';
const DEFAULT_NAMESPACE = 'library';
const DEFAULT_TAG = 'latest';

const PART = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}$/;
const NAMESPACE = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,79}$/;
const HOST = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,340}(?::\d{1,5})?$/;

/** The parsed name, or what is wrong with it in words. */
type ModelNameCheck = { ok: true; name: ModelName } | { ok: false; problem: string };

export function checkModelName(raw: string): ModelNameCheck {
  const value = raw.trim();
  if (!value) return { ok: false, problem: 'Type a model name, like qwen2.5:3b.' };
  if (/\s/.test(value)) return { ok: false, problem: 'A model name has no spaces. Use a name like qwen2.5:3b.' };
  if (value.length > 500) return { ok: false, problem: 'That name is too long.' };
  const slash = value.lastIndexOf('/');
  const colon = value.lastIndexOf(':');
  // A colon after the last slash is the tag; one before it belongs to host:port.
  const [path, tag] = colon > slash ? [value.slice(0, colon), value.slice(colon + 1)] : [value, DEFAULT_TAG];
  const parts = path.split('/');
  if (parts.length > 3) return { ok: false, problem: 'Too many "/" parts: use model:tag or namespace/model:tag.' };
  const model = parts.pop() ?? '';
  const namespace = parts.pop();
  const host = parts.pop();
  if (!PART.test(model))
    return {
      ok: false,
      problem: `"${model || value}" is not a valid model name: letters, digits, "_", "-" and "." only.`,
    };
  if (!PART.test(tag))
    return { ok: false, problem: `"${tag}" is not a valid tag: letters, digits, "_", "-" and "." only.` };
  if (namespace !== undefined && !NAMESPACE.test(namespace))
    return { ok: false, problem: `"${namespace}" is not a valid namespace.` };
  if (host !== undefined && !HOST.test(host)) return { ok: false, problem: `"${host}" is not a valid registry host.` };
  return {
    ok: true,
    name: { host: host ?? DEFAULT_REGISTRY, namespace: namespace ?? DEFAULT_NAMESPACE, model, tag },
  };
}

export function parseModelName(raw: string): ModelName | null {
  if (typeof raw !== 'string') return null;
  const checked = checkModelName(raw);
  return checked.ok ? checked.name : null;
}

/** Null when the name is fine; otherwise what is wrong, in words. */
export function modelNameProblem(raw: string): string | null {
  const checked = checkModelName(raw);
  return checked.ok ? null : checked.problem;
}

/** The short name Ollama lists (`qwen2.5:3b`, `user/model:tag`, `host/ns/model:tag`). */
export function displayModelName(n: ModelName): string {
  if (n.host === DEFAULT_REGISTRY && n.namespace === DEFAULT_NAMESPACE) return `${n.model}:${n.tag}`;
  if (n.host === DEFAULT_REGISTRY) return `${n.namespace}/${n.model}:${n.tag}`;
  return `${n.host}/${n.namespace}/${n.model}:${n.tag}`;
}

/** Same model, tag or not: `qwen2.5` and `qwen2.5:latest`. */
export function sameModel(a: string, b: string): boolean {
  const pa = parseModelName(a);
  const pb = parseModelName(b);
  return pa !== null && pb !== null && displayModelName(pa) === displayModelName(pb);
}

/** `qwen2.5` and `qwen2.5:latest` are the same model: the name with its tag filled in, as typed otherwise. */
export function withTag(name: string): string {
  const last = name.slice(name.lastIndexOf('/') + 1);
  return last.includes(':') ? name : `${name}:${DEFAULT_TAG}`;
}
