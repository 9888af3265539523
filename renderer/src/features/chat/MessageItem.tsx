import { useState } from 'react';
import type { MessageDto } from '../../../../preload/contract';
import { useApp } from '../../stores/app-store';
import { Markdown } from './Markdown';
import { ToolActivity } from './ToolActivity';
import { replyFigures } from './reply-figures';

const STATUS_TEXT: Record<string, string> = {
  stopped: 'Stopped',
  interrupted: 'Interrupted — the app closed before this reply finished',
  error: 'Failed',
};

export function MessageItem({ message, isLast, busy }: { message: MessageDto; isLast: boolean; busy: boolean }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(message.content);
  const { editAndResend, regenerate } = useApp.getState();
  const mine = message.role === 'user';
  const streaming = message.status === 'streaming';

  return (
    <article
      className={`message ${mine ? 'from-user' : 'from-assistant'}`}
      data-status={message.status}
      data-testid="message"
    >
      <div className="avatar" aria-hidden>
        {mine ? 'You' : 'AQ'}
      </div>
      <div className="bubble">
        {editing ? (
          <div className="edit-box">
            <textarea value={draft} onChange={(e) => setDraft(e.target.value)} rows={3} aria-label="Edit message" />
            <div className="row">
              <button className="btn" onClick={() => setEditing(false)}>
                Cancel
              </button>
              <button
                className="btn btn-primary"
                disabled={!draft.trim()}
                onClick={() => {
                  setEditing(false);
                  void editAndResend(message.id, draft);
                }}
              >
                Save & resend
              </button>
            </div>
          </div>
        ) : mine ? (
          <div className="plain">{message.content}</div>
        ) : message.content ? (
          <Markdown text={message.content} />
        ) : streaming ? (
          <div className="typing" aria-label="Thinking">
            <span />
            <span />
            <span />
          </div>
        ) : null}
        {streaming && message.content && <span className="cursor" aria-hidden />}
        {!mine && <ToolActivity tools={message.tools ?? []} />}
        {STATUS_TEXT[message.status] && (
          <div className={`msg-status status-${message.status}`}>
            {STATUS_TEXT[message.status]}
            {message.error && message.status === 'error' ? `: ${message.error}` : ''}
          </div>
        )}
        {!editing && !busy && (
          <div className="msg-actions">
            {mine && (
              <button className="link-btn" onClick={() => (setDraft(message.content), setEditing(true))}>
                Edit
              </button>
            )}
            {!mine && isLast && (
              <button className="link-btn" onClick={() => void regenerate()}>
                Regenerate
              </button>
            )}
            {!mine && message.content && (
              <button className="link-btn" onClick={() => void navigator.clipboard?.writeText(message.content)}>
                Copy
              </button>
            )}
            {!mine && message.model && (
              <span className="muted small msg-figures" data-testid="msg-figures">
                {replyFigures(message)}
              </span>
            )}
          </div>
        )}
      </div>
    </article>
  );
}
