import { AppError } from '../core/errors';

/**
 * Ollama model names, as the server parses them (types/model/name.go):
 * `[host/][namespace/]model[:tag]`, each part 1–80 chars (host 350) starting with a letter, digit or `_`,
 * then letters, digits, `_`, `-`, `.` (no `.` in a namespace; a host may carry `:port`).
 * Checking here means a bad name never reaches the network and never becomes a path on disk.
 */
export interface ModelName {
  host: string;
  namespace: string;
  model: string;
  tag: string;
}

export const DEFAULT_REGISTRY = 'registry.ollama.ai';
export const DEFAULT_NAMESPACE = 'library';
export const DEFAULT_TAG = 'latest';

const PART = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}$/;
const NAMESPACE = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,79}$/;
const HOST = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,340}(?::\d{1,5})?$/;

export function parseModelName(raw: string): ModelName | null {
  if (typeof raw !== 'string') return null;
  const value = raw.trim();
  if (!value || value.length > 500) return null;
  const slash = value.lastIndexOf('/');
  const colon = value.lastIndexOf(':');
  // A colon after the last slash is the tag; one before it belongs to host:port.
  const [path, tag] = colon > slash ? [value.slice(0, colon), value.slice(colon + 1)] : [value, DEFAULT_TAG];
  const parts = path.split('/');
  if (parts.length > 3) return null;
  const model = parts.pop()!;
  const namespace = parts.pop() ?? DEFAULT_NAMESPACE;
  const host = parts.pop() ?? DEFAULT_REGISTRY;
  if (!PART.test(model) || !PART.test(tag) || !NAMESPACE.test(namespace) || !HOST.test(host)) return null;
  return { host, namespace, model, tag };
}

/** The short name Ollama lists (`qwen2.5:3b`, `user/model:tag`, `host/ns/model:tag`). */
export function displayModelName(n: ModelName): string {
  if (n.host === DEFAULT_REGISTRY && n.namespace === DEFAULT_NAMESPACE) return `${n.model}:${n.tag}`;
  if (n.host === DEFAULT_REGISTRY) return `${n.namespace}/${n.model}:${n.tag}`;
  return `${n.host}/${n.namespace}/${n.model}:${n.tag}`;
}

/** Validates before any request; returns the canonical name (tag filled in). */
export function requireModelName(raw: unknown): string {
  const parsed = typeof raw === 'string' ? parseModelName(raw) : null;
  if (!parsed) {
    throw new AppError(
      'bad_request',
      `"${String(raw ?? '')}" is not a valid model name. Use a name like qwen2.5:3b or namespace/model:tag.`,
      { name: raw },
    );
  }
  return displayModelName(parsed);
}

/** Same model, tag or not: `qwen2.5` and `qwen2.5:latest`. */
export function sameModel(a: string, b: string): boolean {
  const pa = parseModelName(a);
  const pb = parseModelName(b);
  return pa !== null && pb !== null && displayModelName(pa) === displayModelName(pb);
}

/** `manifests/<host>/<namespace>/<model>/<tag>` under a models directory, as path segments. */
export function manifestSegments(n: ModelName): string[] {
  return ['manifests', n.host, n.namespace, n.model, n.tag];
}
