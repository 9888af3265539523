import {
  ENGINE_MESSAGES,
  isEngineMessageId,
  type EngineParamKind,
  type EngineTextDto,
} from '../../../preload/shared/engine-messages';
import { formatContext } from '../../../preload/shared/units';
import { diskSize, formatNumber, memSize, relativeTime } from '../lib/format';
import { i18n } from '.';

/** i18next's `t` with a key built at run time (the typed `t` takes only literal keys). */
const translate = (key: string, params: Record<string, string | number>): string =>
  (i18n.t as unknown as (k: string, o: Record<string, unknown>) => string)(key, params);

function formatParam(kind: EngineParamKind, name: string, value: string | number): string | number | null {
  if (kind === 'text') return typeof value === 'string' ? value : null;
  // A provider id in the provider's name in this language; an id this UI does not know, as it came.
  if (kind === 'provider') {
    return typeof value === 'string' ? i18n.t(`providerNames.${value}`, { defaultValue: value }) : null;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  switch (kind) {
    // i18next picks the plural form from a number named `count`.
    case 'count':
      return name === 'count' ? value : formatNumber(value);
    case 'bytes':
      return memSize(value);
    case 'disk':
      return diskSize(value);
    case 'tokens':
      return formatContext(value);
    case 'time':
      return relativeTime(value);
  }
}

/**
 * ENGINE_TEXT_DTO's check written out by hand: zod's runtime is about a third of the first screen's script
 * (bench/ui.bench.ts), and this is the UI's only use of it.
 */
function readEngineText(text: unknown): EngineTextDto | null {
  if (typeof text !== 'object' || text === null) return null;
  const { id, params } = text as { id?: unknown; params?: unknown };
  if (typeof id !== 'string' || id.length < 1 || id.length > 100) return null;
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return null;
  const values = Object.values(params as Record<string, unknown>);
  if (!values.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) return null;
  return { id, params: params as Record<string, string | number> };
}

/**
 * One sentence from the engine in the UI's language (issue 15): its message id and parameters, worded from
 * `engine.<id>` in the locale files. The engine's English stands in for an id this UI does not know (an
 * engine newer than the UI), parameters that do not match the catalog, or no id at all: never a blank.
 */
export function engineText(text: unknown, english: string): string {
  const parsed = readEngineText(text);
  if (!parsed || !isEngineMessageId(parsed.id)) return english;
  const kinds: Readonly<Record<string, EngineParamKind>> = ENGINE_MESSAGES[parsed.id];
  const params: Record<string, string | number> = {};
  for (const [name, kind] of Object.entries(kinds)) {
    const raw = parsed.params[name];
    const value = raw === undefined ? null : formatParam(kind, name, raw);
    if (value === null) return english;
    params[name] = value;
  }
  const key = `engine.${parsed.id}`;
  if (!i18n.exists(key, params)) return english;
  return translate(key, params) || english;
}

/** A reason sent as several message ids (a fit verdict's notes, a health check's sentences), joined by `sep`. */
export function engineTexts(parts: readonly unknown[] | null | undefined, english: string, sep: string): string {
  if (!parts || parts.length === 0) return english;
  const words = parts.map((p) => engineText(p, ''));
  // One part the UI cannot word would leave a hole: then the whole reason is shown in English.
  return words.some((w) => w === '') ? english : words.join(sep);
}

/** A failed call's words: the engine's message id in the UI's language, else its English message. */
export function engineErrorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const text = (err as Error & { text?: unknown }).text;
  return engineText(text, err.message);
}

type Worded = { reason: string | null; reasonText?: readonly unknown[] | null };

/** A fit verdict's reason (model cards, the wizard, the dashboard's pick): its parts joined with "; ". */
export function fitReasonText(fit: Worded): string {
  return engineTexts(fit.reasonText, fit.reason ?? '', '; ');
}

/** A health check's reason: its sentences joined with a space. */
export function healthReasonText(check: Worded & { reason: string }): string {
  return engineTexts(check.reasonText, check.reason, ' ');
}
