import { engineMessage } from '../../preload/shared/engine-messages';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/atomic-file';
import { STYLE_NAMES } from '../../preload/shared/style-presets';
import { UI_LANGUAGES } from '../../preload/shared/ui-languages';
import { AppError } from '../core/errors';
import { normalizeOllamaHost, OllamaHostError } from '../core/ollama-host';
import { lazy } from '../../preload/shared/lazy';

/** Each setting's rule, without its default: a patch names only what it changes. */
const FIELDS = lazy(() => ({
  ollamaHost: z.string().max(300).nullable(),
  defaultModel: z.string().max(200).nullable(),
  defaultStyle: z.enum(STYLE_NAMES),
  theme: z.enum(['system', 'light', 'dark']),
  location: z.string().max(120).nullable(),
  /** The first-run wizard was finished or skipped. */
  onboardingDone: z.boolean(),
  /** Where exports go (and, in serve mode, the one folder besides backups/ that file paths may name); null = `<data dir>/exports`. */
  exportFolder: z.string().max(1000).nullable(),
  /** Who answers chats that name no provider: `ollama` (default), `openai-compatible` or `gemini`. */
  defaultProvider: z.enum(['ollama', 'openai-compatible', 'gemini']),
  /** Tried in order when the chat's provider cannot be reached (e.g. local Ollama → LAN server → cloud). */
  providerFallback: z
    .array(z.object({ provider: z.enum(['ollama', 'openai-compatible', 'gemini']), model: z.string().min(1).max(200) }))
    .max(3),
  /** Whether cloud providers (Gemini, a hosted OpenAI-compatible URL) may be used at all. */
  allowCloud: z.boolean(),
  /** The model to ask the OpenAI-compatible server / Gemini for when a chat names none. */
  openaiModel: z.string().max(200).nullable(),
  geminiModel: z.string().max(200).nullable(),
  /** The UI's language, shared by Electron and serve; null = follow the system. The model answers in it. */
  uiLanguage: z.enum(UI_LANGUAGES).nullable(),
}));

/**
 * Each setting's value on a fresh install, once: the schema's defaults, and what a first start (no config.json)
 * takes without building the schema (issue 14). The fallback list, an array, is made afresh each time.
 */
const DEFAULTS = {
  ollamaHost: null,
  defaultModel: null,
  defaultStyle: 'general',
  theme: 'system',
  location: null,
  onboardingDone: false,
  exportFolder: null,
  defaultProvider: 'ollama',
  allowCloud: false,
  openaiModel: null,
  geminiModel: null,
  uiLanguage: null,
} as const;

const SettingsSchema = lazy(() => {
  const f = FIELDS();
  return z.object({
    ollamaHost: f.ollamaHost.default(DEFAULTS.ollamaHost),
    defaultModel: f.defaultModel.default(DEFAULTS.defaultModel),
    defaultStyle: f.defaultStyle.default(DEFAULTS.defaultStyle),
    theme: f.theme.default(DEFAULTS.theme),
    location: f.location.default(DEFAULTS.location),
    onboardingDone: f.onboardingDone.default(DEFAULTS.onboardingDone),
    exportFolder: f.exportFolder.default(DEFAULTS.exportFolder),
    defaultProvider: f.defaultProvider.default(DEFAULTS.defaultProvider),
    providerFallback: f.providerFallback.default(() => []),
    allowCloud: f.allowCloud.default(DEFAULTS.allowCloud),
    openaiModel: f.openaiModel.default(DEFAULTS.openaiModel),
    geminiModel: f.geminiModel.default(DEFAULTS.geminiModel),
    uiLanguage: f.uiLanguage.default(DEFAULTS.uiLanguage),
  });
});
type Settings = z.infer<ReturnType<typeof SettingsSchema>>;
// Not SettingsSchema.partial(): zod 4 fills defaults inside optional fields, so a patch of one setting
// would reset all the others.
export const SettingsPatchSchema = lazy(() => z.object(FIELDS()).partial());
type SettingsPatch = z.infer<ReturnType<typeof SettingsPatchSchema>>;

/** A fresh install's settings: what SettingsSchema makes of `{}` (settings-service.test.ts checks the two agree). */
function defaults(): Settings {
  return { ...DEFAULTS, providerFallback: [] };
}

/**
 * `config.json` in the data dir. A file that does not parse is kept aside (config.json.bad-<time>)
 * rather than overwritten, so a hand edit gone wrong is never lost.
 */
export class SettingsService {
  private value: Settings;
  /** config.json had no `onboardingDone` (a fresh install, or one from before the wizard). */
  private onboardingUnset = true;
  private readonly listeners = new Set<(s: Settings) => void>();

  constructor(private readonly file: string) {
    this.value = this.load();
  }

  private load(): Settings {
    if (!fs.existsSync(this.file)) return defaults();
    try {
      const raw = JSON.parse(fs.readFileSync(this.file, 'utf8')) as unknown;
      const parsed = SettingsSchema().safeParse(raw);
      if (parsed.success) {
        this.onboardingUnset = typeof (raw as { onboardingDone?: unknown }).onboardingDone !== 'boolean';
        return parsed.data;
      }
    } catch {
      // falls through to quarantine
    }
    fs.renameSync(this.file, `${this.file}.bad-${Date.now()}`);
    return SettingsSchema().parse({});
  }

  /**
   * An install from before the first-run wizard has no `onboardingDone`; when it already holds conversations
   * its owner is past the first run, so it is marked done (and saved) instead of greeting them with the wizard.
   * Called once the store is open; a fresh data dir (no conversations) keeps the default, false.
   */
  settleOnboarding(hasHistory: () => boolean): void {
    if (!this.onboardingUnset) return;
    this.onboardingUnset = false;
    if (!hasHistory()) return;
    this.value = { ...this.value, onboardingDone: true };
    try {
      writeFileAtomic(this.file, JSON.stringify(this.value, null, 2) + '\n');
    } catch {
      // A read-only data dir: the answer holds for this run and is worked out again on the next.
    }
  }

  get(): Settings {
    return { ...this.value };
  }

  update(patch: SettingsPatch): Settings {
    const next = SettingsSchema().parse({ ...this.value, ...SettingsPatchSchema().parse(patch) });
    // A host Ollama could never be reached at is refused here, in words, before anything is saved.
    if (next.ollamaHost) {
      try {
        next.ollamaHost = normalizeOllamaHost(next.ollamaHost);
      } catch (err) {
        const message = (err as Error).message;
        throw new AppError(
          'bad_request',
          message,
          {},
          err instanceof OllamaHostError ? err.text : engineMessage('error.badOllamaHost', { error: message }),
        );
      }
    }
    if (next.exportFolder !== null) {
      if (!path.isAbsolute(next.exportFolder.trim()))
        throw new AppError(
          'bad_request',
          'The export folder must be a full path, like /media/usb/aeris-exports.',
          {},
          engineMessage('error.exportFolderNotFull', {}),
        );
      next.exportFolder = path.normalize(next.exportFolder.trim());
    }
    writeFileAtomic(this.file, JSON.stringify(next, null, 2) + '\n');
    this.value = next;
    for (const fn of this.listeners) fn(this.get());
    return this.get();
  }

  onChange(fn: (s: Settings) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
