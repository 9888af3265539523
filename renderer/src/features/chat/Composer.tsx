import { useEffect, useRef, useState } from 'react';
import { useApp } from '../../stores/app-store';
import { shortcutText } from '../../lib/shortcuts';
import { MyLocation } from './MyLocation';
import { useTranslation } from 'react-i18next';

export function Composer({ busy }: { busy: boolean }) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  const activeId = useApp((s) => s.activeId);
  const count = useApp((s) => s.sessions.find((x) => x.id === s.activeId)?.messageCount ?? 0);
  const { send, stop } = useApp.getState();
  const { t } = useTranslation();

  useEffect(() => ref.current?.focus(), [activeId]);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 220)}px`;
  }, [text]);

  const submit = async () => {
    const value = text.trim();
    if (!value || busy || sending) return;
    setSending(true);
    setText('');
    try {
      await send(value);
    } catch {
      setText(value); // keep what was typed when sending failed
    } finally {
      setSending(false);
    }
  };

  return (
    <div className="composer-wrap">
      {count >= 90 && <div className="limit-warning">{t('chat.composer.limit', { n: count, max: 100 })}</div>}
      <MyLocation />
      <div className="composer">
        <textarea
          ref={ref}
          value={text}
          rows={1}
          placeholder={t('chat.composer.placeholder')}
          aria-label={t('chat.composer.message')}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              void submit();
            }
          }}
        />
        {busy ? (
          <button
            className="btn btn-stop"
            onClick={() => void stop()}
            title={`${t('chat.composer.stop')} (${shortcutText('escape')})`}
          >
            ■ {t('chat.composer.stop')}
          </button>
        ) : (
          <button className="btn btn-primary" onClick={() => void submit()} disabled={!text.trim() || sending}>
            {t('chat.composer.send')} ↵
          </button>
        )}
      </div>
      <div className="composer-hint muted small">{t('chat.composer.hint')}</div>
    </div>
  );
}
