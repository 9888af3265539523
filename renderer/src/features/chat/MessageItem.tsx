import { useState } from 'react';
import type { MessageDto } from '../../../../preload/contract';
import { useApp } from '../../stores/app-store';
import { Markdown } from './Markdown';
import { DocumentCitations } from './documents';
import { ToolActivity } from './ToolActivity';
import { replyFigures, replySpeed } from './reply-figures';
import { Icon } from '../../components/Icon';
import { useTranslation } from 'react-i18next';
import { engineText } from '../../i18n/engine-text';

/** Statuses said under a reply (the others need no words). */
const SAID_STATUS = ['stopped', 'interrupted', 'error'] as const;
const said = (s: string): s is (typeof SAID_STATUS)[number] => (SAID_STATUS as readonly string[]).includes(s);

export function MessageItem({ message, isLast, busy }: { message: MessageDto; isLast: boolean; busy: boolean }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(message.content);
  const { editAndResend, regenerate } = useApp.getState();
  const { t } = useTranslation();
  const mine = message.role === 'user';
  const streaming = message.status === 'streaming';
  // Regenerate keeps earlier answers: ‹ 1/2 › moves between them; the newest (this message) shows first.
  const versions = message.earlierAnswers ?? [];
  const [shownVersion, setShownVersion] = useState<number | null>(null);
  const total = versions.length + 1;
  const index = shownVersion ?? total - 1;
  const earlier = index < versions.length ? versions[index]! : null;
  const content = earlier ? earlier.content : message.content;

  return (
    <article
      className={`message ${mine ? 'from-user' : 'from-assistant'}`}
      data-status={message.status}
      data-testid="message"
    >
      <div className="avatar" aria-hidden>
        {mine ? t('chat.message.you') : 'AQ'}
      </div>
      <div className="bubble">
        {editing ? (
          <div className="edit-box">
            <textarea
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              rows={3}
              aria-label={t('chat.message.edit')}
            />
            <div className="row">
              <button className="btn" onClick={() => setEditing(false)}>
                {t('common.cancel')}
              </button>
              <button
                className="btn btn-primary"
                disabled={!draft.trim()}
                onClick={() => {
                  setEditing(false);
                  void editAndResend(message.id, draft);
                }}
              >
                {t('chat.message.resend')}
              </button>
            </div>
          </div>
        ) : mine ? (
          <div className="plain">{message.content}</div>
        ) : content ? (
          <Markdown text={content} />
        ) : streaming ? (
          <div className="typing" aria-label={t('chat.message.thinking')}>
            <span />
            <span />
            <span />
          </div>
        ) : null}
        {streaming && message.content && <span className="cursor" aria-hidden />}
        {!mine && !earlier && <ToolActivity tools={message.tools ?? []} />}
        {!mine && !streaming && !earlier && <DocumentCitations text={message.content} />}
        {!earlier && said(message.status) && (
          <div className={`msg-status status-${message.status}`}>
            {t(`chat.message.status.${message.status}`)}
            {message.error && message.status === 'error' ? `: ${engineText(message.errorText, message.error)}` : ''}
          </div>
        )}
        {!editing && !busy && (
          <div className="msg-actions">
            {!mine && total > 1 && (
              <span className="versions" role="group" aria-label={t('chat.message.versions')}>
                <button
                  className="icon-btn"
                  aria-label={t('chat.message.earlier')}
                  disabled={index === 0}
                  onClick={() => setShownVersion(index - 1)}
                >
                  <Icon name="chevronLeft" size={14} />
                </button>
                <span className="small" data-testid="answer-version">
                  {index + 1}/{total}
                </span>
                <button
                  className="icon-btn"
                  aria-label={t('chat.message.later')}
                  disabled={index === total - 1}
                  onClick={() => setShownVersion(index + 1)}
                >
                  <Icon name="chevronRight" size={14} />
                </button>
              </span>
            )}
            {mine && (
              <button className="link-btn" onClick={() => (setDraft(message.content), setEditing(true))}>
                {t('chat.message.editButton')}
              </button>
            )}
            {!mine && isLast && (
              <button className="link-btn" onClick={() => void regenerate()}>
                {t('chat.message.regenerate')}
              </button>
            )}
            {!mine && content && (
              <button className="link-btn" onClick={() => void navigator.clipboard?.writeText(content)}>
                {t('chat.message.copy')}
              </button>
            )}
            {!mine && message.model && (
              <span className="muted small msg-figures" data-testid="msg-figures">
                {replyFigures(earlier ? { ...earlier, status: 'complete' } : message)}
              </span>
            )}
            {!mine && !streaming && replySpeed(earlier ?? message) && (
              <span className="muted small msg-figures" data-testid="msg-speed">
                {replySpeed(earlier ?? message)}
              </span>
            )}
          </div>
        )}
      </div>
    </article>
  );
}
