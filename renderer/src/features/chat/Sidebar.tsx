import { useEffect, useRef, useState } from 'react';
import { useApp } from '../../stores/app-store';
import { relativeTime } from '../../lib/format';
import { shortcutText } from '../../lib/shortcuts';
import { Icon } from '../../components/Icon';
import { ConfirmDialog } from '../../components/Dialog';
import { useTranslation } from 'react-i18next';

/** Turns FTS snippets (`[[match]]`) into highlighted text without ever parsing HTML. */
function Snippet({ text }: { text: string }) {
  const parts = text.split(/(\[\[.*?\]\])/g);
  return (
    <>
      {parts.map((p, i) =>
        p.startsWith('[[') && p.endsWith(']]') ? <mark key={i}>{p.slice(2, -2)}</mark> : <span key={i}>{p}</span>,
      )}
    </>
  );
}

/** As the store's search (main/store/messages-repository.ts SEARCH_MIN_CHARS): fewer letters match too much. */
const SEARCH_MIN_CHARS = 3;
/** Typing pauses this long before a search is sent, so a word typed quickly is one search, not one per letter. */
const SEARCH_DEBOUNCE_MS = 250;

const letters = (q: string): number => [...q.replace(/[^\p{L}\p{N}]/gu, '')].length;

/**
 * The search box's text, sent to the store's search only once typing pauses and only from SEARCH_MIN_CHARS
 * letters; shorter text clears the results (the hint says why). The store drops answers to stale queries.
 */
function useDebouncedSearch(query: string, search: (q: string) => Promise<void>) {
  const [text, setText] = useState(query);
  const sent = useRef(query);
  // The store cleared the search (a hit opened, a new chat): the box follows.
  useEffect(() => {
    if (query === '' && sent.current !== '') {
      sent.current = '';
      setText('');
    }
  }, [query]);
  useEffect(() => {
    const want = letters(text) >= SEARCH_MIN_CHARS ? text : '';
    if (want === sent.current) return;
    const timer = setTimeout(
      () => {
        sent.current = want;
        void search(want);
      },
      want ? SEARCH_DEBOUNCE_MS : 0,
    );
    return () => clearTimeout(timer);
  }, [text, search]);
  const clear = () => {
    setText('');
    sent.current = '';
    void search('');
  };
  return { text, setText, clear, tooShort: text.trim() !== '' && letters(text) < SEARCH_MIN_CHARS };
}

export function Sidebar() {
  const searchRef = useRef<HTMLInputElement>(null);
  const wantFocus = useApp((s) => s.searchFocusWanted);
  // The store asks (Ctrl+K); this box owns the element. The page may have just mounted, hence an effect.
  useEffect(() => {
    if (!wantFocus) return;
    searchRef.current?.focus();
    useApp.getState().searchFocusDone();
  }, [wantFocus]);
  const sessions = useApp((s) => s.sessions);
  const activeId = useApp((s) => s.activeId);
  const streams = useApp((s) => s.streams);
  const query = useApp((s) => s.searchQuery);
  const hits = useApp((s) => s.searchHits);
  const health = useApp((s) => s.health);
  const info = useApp((s) => s.info);
  const { select, newChat, search, remove, rename, openSettings } = useApp.getState();
  const box = useDebouncedSearch(query, search);
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [deleting, setDeleting] = useState<{ id: string; title: string } | null>(null);
  const { t } = useTranslation();

  const ollamaOk = health?.ollama.startsWith('connected');
  return (
    <aside className="sidebar">
      <div className="brand">
        <div>
          <div className="brand-name">AERIS-AQ</div>
          <div className="brand-sub">{t('chat.sidebar.tagline')}</div>
        </div>
      </div>
      <button className="btn btn-primary new-chat" onClick={newChat} title={shortcutText('mod+shift+o')}>
        + {t('chat.newChat')} <kbd>{shortcutText('mod+shift+o')}</kbd>
      </button>
      <div className="search">
        <input
          ref={searchRef}
          type="search"
          placeholder={`${t('chat.sidebar.search')} (${shortcutText('mod+k')})`}
          aria-label={t('chat.sidebar.search')}
          value={box.text}
          onChange={(e) => box.setText(e.target.value)}
          onKeyDown={(e) => e.key === 'Escape' && box.clear()}
        />
        {box.tooShort && (
          <div className="muted search-hint" role="status">
            {t('chat.sidebar.tooShort', { count: SEARCH_MIN_CHARS })}
          </div>
        )}
      </div>
      <nav className="session-list" aria-label={query ? t('chat.sidebar.results') : t('chat.conversations')}>
        {query ? (
          hits.length === 0 ? (
            <div className="muted pad">{t('chat.sidebar.noMatch', { query })}</div>
          ) : (
            hits.map((h) => (
              <button
                key={h.messageId}
                className="search-hit"
                onClick={() => {
                  void search('');
                  void select(h.sessionId);
                }}
              >
                <div className="hit-title">{h.sessionTitle || t('chat.untitled')}</div>
                <div className="hit-snippet">
                  <Snippet text={h.snippet} />
                </div>
              </button>
            ))
          )
        ) : sessions.length === 0 ? (
          <div className="muted pad">{t('chat.sidebar.none')}</div>
        ) : (
          sessions.map((s) => (
            <div key={s.id} className={`session ${s.id === activeId ? 'active' : ''}`}>
              {editing === s.id ? (
                <input
                  className="rename"
                  ref={(el) => el?.focus()}
                  value={draft}
                  aria-label={t('chat.sidebar.newTitle')}
                  onChange={(e) => setDraft(e.target.value)}
                  onBlur={() => setEditing(null)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' && draft.trim()) {
                      void rename(s.id, draft.trim());
                      setEditing(null);
                    }
                    if (e.key === 'Escape') setEditing(null);
                  }}
                />
              ) : (
                <button className="session-main" onClick={() => void select(s.id)}>
                  <span className="session-title">
                    {streams[s.id] && <span className="pulse" aria-label={t('chat.sidebar.writing')} />}
                    {s.title || t('chat.untitled')}
                  </span>
                  <span className="session-meta">
                    {relativeTime(s.updatedAt)} · {t('chat.sidebar.messages', { count: s.messageCount })}
                  </span>
                </button>
              )}
              <div className="session-actions">
                <button
                  className="icon-btn"
                  title={t('chat.sidebar.rename')}
                  aria-label={t('chat.sidebar.renameX', { title: s.title })}
                  onClick={() => {
                    setEditing(s.id);
                    setDraft(s.title);
                  }}
                >
                  <Icon name="pencil" size={14} />
                </button>
                <button
                  className="icon-btn"
                  title={t('common.delete')}
                  aria-label={t('chat.sidebar.deleteX', { title: s.title })}
                  onClick={() => setDeleting({ id: s.id, title: s.title || t('chat.untitled') })}
                >
                  <Icon name="trash" size={14} />
                </button>
              </div>
            </div>
          ))
        )}
      </nav>
      <footer className="sidebar-footer">
        <button className="status-line" onClick={() => openSettings(true)} title={t('nav.settings')}>
          <span className={`dot ${ollamaOk ? 'ok' : health ? 'bad' : ''}`} />
          <span className="status-text">
            {ollamaOk ? `Ollama ${health?.ollama.replace(/^connected \((.*)\)$/, '$1')}` : t('chat.ollamaUnreachable')}
            <span className="muted"> · {info?.ollamaHost.replace(/^https?:\/\//, '')}</span>
          </span>
          <span className="gear" aria-hidden>
            ⚙
          </span>
        </button>
      </footer>
      {deleting && (
        <ConfirmDialog
          title={t('chat.sidebar.deleteTitle', { title: deleting.title })}
          confirmLabel={t('common.delete')}
          danger
          onCancel={() => setDeleting(null)}
          onConfirm={() => {
            void remove(deleting.id);
            setDeleting(null);
          }}
        >
          <p>{t('chat.sidebar.deleteBody')}</p>
        </ConfirmDialog>
      )}
    </aside>
  );
}
