import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CHAT_SETTINGS_LIMITS as L, type ChatSettings } from '../../../../preload/shared/chat-settings';
import { errorText, getApi } from '../../bridge';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { useCall } from '../../lib/use-call';
import './chat-settings.css';

/** Where the slider rests while the temperature follows the style (it then shows no value of its own). */
const SLIDER_REST = 0.7;

/** The form's text fields: '' = the default. */
interface Form {
  systemPrompt: string;
  temperature: string;
  contextLength: string;
}

const toForm = (s: ChatSettings): Form => ({
  systemPrompt: s.systemPrompt ?? '',
  temperature: s.temperature !== undefined ? String(s.temperature) : '',
  contextLength: s.contextLength !== undefined ? String(s.contextLength) : '',
});

/** The values to send (null = back to the default), or the key of the first one out of range. */
function fromForm(f: Form): { ok: true; value: ChatSettings } | { ok: false; error: 'temperature' | 'contextLength' } {
  const value: ChatSettings = {};
  if (f.systemPrompt.trim()) value.systemPrompt = f.systemPrompt.trim();
  if (f.temperature.trim()) {
    const t = Number(f.temperature);
    if (!Number.isFinite(t) || t < L.temperatureMin || t > L.temperatureMax) return { ok: false, error: 'temperature' };
    value.temperature = t;
  }
  if (f.contextLength.trim()) {
    const n = Number(f.contextLength);
    if (!Number.isInteger(n) || n < L.contextLengthMin || n > L.contextLengthMax)
      return { ok: false, error: 'contextLength' };
    value.contextLength = n;
  }
  return { ok: true, value };
}

/** The two number fields: their bounds (the temperature's slider shares them) and their keyboards. */
const NUMBER_FIELDS = {
  temperature: { min: L.temperatureMin, max: L.temperatureMax, step: 0.05, inputMode: 'decimal' },
  contextLength: { min: L.contextLengthMin, max: L.contextLengthMax, step: 512, inputMode: 'numeric' },
} as const;

/** A number field of the form, left empty for the default. */
function OptionalNumberInput(props: {
  name: keyof typeof NUMBER_FIELDS;
  id: string;
  hintId: string;
  form: Form;
  set: (patch: Partial<Form>) => void;
}) {
  const { t } = useTranslation();
  const f = NUMBER_FIELDS[props.name];
  return (
    <input
      id={props.id}
      type="number"
      inputMode={f.inputMode}
      min={f.min}
      max={f.max}
      step={f.step}
      value={props.form[props.name]}
      placeholder={t('chat.settings.default')}
      aria-describedby={props.hintId}
      onInput={(e) => props.set({ [props.name]: e.currentTarget.value })}
    />
  );
}

/** A chat's own instructions, temperature and context length, as Jan and Open WebUI offer (issue 15). */
function ChatSettingsDialog({ sessionId, onClose }: { sessionId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const saved = useCall('chat.getSettings', { sessionId });
  // What the user changed, over what is saved (the form appears once that has arrived).
  const [edits, setEdits] = useState<Partial<Form>>({});
  const form: Form | null = saved.data ? { ...toForm(saved.data), ...edits } : null;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = {
    prompt: useId(),
    promptHint: useId(),
    temp: useId(),
    tempHint: useId(),
    ctx: useId(),
    ctxHint: useId(),
  };

  const save = async (value: ChatSettings): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await getApi().call('chat.setSettings', {
        sessionId,
        systemPrompt: value.systemPrompt ?? null,
        temperature: value.temperature ?? null,
        contextLength: value.contextLength ?? null,
      });
      onClose();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const submit = (): void => {
    if (!form) return;
    const checked = fromForm(form);
    if (!checked.ok) {
      setError(
        checked.error === 'temperature'
          ? t('chat.settings.temperatureRange', { min: L.temperatureMin, max: L.temperatureMax })
          : t('chat.settings.contextRange', { min: L.contextLengthMin, max: L.contextLengthMax }),
      );
      return;
    }
    void save(checked.value);
  };

  const reset = (): void => {
    setEdits(toForm({}));
    void save({});
  };

  const set = (patch: Partial<Form>): void => setEdits((e) => ({ ...e, ...patch }));
  const temperature = form?.temperature.trim() ? Number(form.temperature) : null;

  return (
    <Dialog
      title={t('chat.settings.title')}
      className="chat-settings-dialog"
      onClose={onClose}
      actions={
        <>
          <button type="button" className="btn chat-settings-reset" onClick={reset} disabled={busy || !form}>
            {t('chat.settings.reset')}
          </button>
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </button>
          <button type="button" className="btn btn-primary" onClick={submit} disabled={busy || !form}>
            {t('common.save')}
          </button>
        </>
      }
    >
      <p className="muted small">{t('chat.settings.intro')}</p>
      {saved.error && !form && (
        <p className="chat-settings-error" role="alert">
          {saved.error}
        </p>
      )}
      {form && (
        <form
          className="chat-settings-form"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <label className="chat-settings-label" htmlFor={ids.prompt}>
            {t('chat.settings.systemPrompt')}
          </label>
          <textarea
            id={ids.prompt}
            className="chat-settings-prompt"
            rows={6}
            maxLength={L.systemPromptMaxChars}
            value={form.systemPrompt}
            placeholder={t('chat.settings.systemPromptExample')}
            aria-describedby={ids.promptHint}
            onInput={(e) => set({ systemPrompt: e.currentTarget.value })}
          />
          <p id={ids.promptHint} className="muted small chat-settings-hint">
            {t('chat.settings.systemPromptHint')}{' '}
            <span className="chat-settings-count">
              {t('chat.settings.characters', { length: form.systemPrompt.length, max: L.systemPromptMaxChars })}
            </span>
          </p>

          <label className="chat-settings-label" htmlFor={ids.temp}>
            {t('chat.settings.temperature')}
          </label>
          <div className="chat-settings-row">
            <input
              type="range"
              min={NUMBER_FIELDS.temperature.min}
              max={NUMBER_FIELDS.temperature.max}
              step={NUMBER_FIELDS.temperature.step}
              value={temperature ?? SLIDER_REST}
              className={temperature === null ? 'at-default' : undefined}
              aria-label={t('chat.settings.temperatureSlider')}
              aria-describedby={ids.tempHint}
              onInput={(e) => set({ temperature: e.currentTarget.value })}
            />
            <OptionalNumberInput name="temperature" id={ids.temp} hintId={ids.tempHint} form={form} set={set} />
          </div>
          <p id={ids.tempHint} className="muted small chat-settings-hint">
            {t('chat.settings.temperatureHint')}
          </p>

          <label className="chat-settings-label" htmlFor={ids.ctx}>
            {t('chat.settings.contextLength')}
          </label>
          <div className="chat-settings-row">
            <OptionalNumberInput name="contextLength" id={ids.ctx} hintId={ids.ctxHint} form={form} set={set} />
            <span className="muted small">{t('chat.settings.tokens')}</span>
          </div>
          <p id={ids.ctxHint} className="muted small chat-settings-hint">
            {t('chat.settings.contextLengthHint')}
          </p>
          {error && (
            <p className="chat-settings-error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </Dialog>
  );
}

/** The header's button: opens the dialog; marked while the chat has settings of its own. */
export function ChatSettingsButton({ sessionId }: { sessionId: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const current = useCall('chat.getSettings', { sessionId }, { deps: [open] });
  const custom = current.data ? Object.keys(current.data).length > 0 : false;
  return (
    <>
      <button
        type="button"
        className={`btn icon-only chat-settings-btn${custom ? ' is-custom' : ''}`}
        onClick={() => setOpen(true)}
        // Icon-only: the header already holds model, style and export; the name stays for screen readers.
        aria-label={t('chat.settings.button')}
        title={custom ? t('chat.settings.customised') : t('chat.settings.button')}
      >
        <Icon name="gear" size={16} />
        {custom && <span className="chat-settings-dot" aria-hidden="true" />}
      </button>
      {open && <ChatSettingsDialog sessionId={sessionId} onClose={() => setOpen(false)} />}
    </>
  );
}
