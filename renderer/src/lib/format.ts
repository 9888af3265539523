import { currentLanguage, type UiLanguage } from '../i18n';

/**
 * Numbers, dates and times are written with Intl in the UI's language (4,7 in French, 14:00 in Swahili):
 * every page formats through here so a language switch changes them all.
 */
type When = number | string | Date;

export function formatNumber(n: number, opts?: Intl.NumberFormatOptions, lang: UiLanguage = currentLanguage()): string {
  return new Intl.NumberFormat(lang, opts).format(n);
}

/** A decimal with at most `digits` after the point (trailing zeros dropped). */
export function formatDecimal(n: number, digits = 1, lang: UiLanguage = currentLanguage()): string {
  return formatNumber(n, { maximumFractionDigits: digits }, lang);
}

export function formatDate(when: When, lang: UiLanguage = currentLanguage()): string {
  return new Date(when).toLocaleDateString(lang, { day: 'numeric', month: 'short', year: 'numeric' });
}

export function formatTime(when: When, lang: UiLanguage = currentLanguage()): string {
  return new Date(when).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
}

/** "5 Dec 14:00" style: for an event in the last year or so. */
export function formatShortDateTime(when: When, lang: UiLanguage = currentLanguage()): string {
  return new Date(when).toLocaleString(lang, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

export function formatDateTime(when: When, lang: UiLanguage = currentLanguage()): string {
  return new Date(when).toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'short' });
}

/** "5 min ago", "il y a 5 min", "dakika 5 zilizopita"; a date after a week. */
export function relativeTime(ms: number, now = Date.now(), lang: UiLanguage = currentLanguage()): string {
  const d = Math.round((now - ms) / 1000);
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto', style: 'short' });
  if (d < 60) return rtf.format(0, 'second');
  if (d < 3600) return rtf.format(-Math.floor(d / 60), 'minute');
  if (d < 86400) return rtf.format(-Math.floor(d / 3600), 'hour');
  if (d < 7 * 86400) return rtf.format(-Math.floor(d / 86400), 'day');
  return formatDate(ms, lang);
}

/**
 * The app's two ways of writing a size, on every page. Disk and file sizes in decimal units, as Ollama
 * and file managers show them; memory (VRAM, RAM, estimates) in binary units labelled GB, the way cards
 * are sold ("a 12 GB card"), matching the engine's own reason text.
 */
export function diskSize(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n) || n < 0) return '?';
  if (n < 1000) return `${formatNumber(n)} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${formatDecimal(v >= 100 ? Math.round(v) : v)} ${units[i]}`;
}

/**
 * Memory as the engine writes it (preload/shared/units.ts: binary units labelled GB, the way cards are sold),
 * with the decimal separator of the UI language.
 */
export function memSize(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '?';
  const mib = 1024 ** 2;
  const gib = 1024 ** 3;
  if (n < gib) return `${formatNumber(Math.round(n / mib))} MB`;
  const gb = n / gib;
  return `${formatDecimal(gb >= 100 ? Math.round(gb) : gb)} GB`;
}
