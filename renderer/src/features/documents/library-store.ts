import { create } from 'zustand';
import type { AerisApi, DocumentDto, EmbedderStatusDto, PullSnapshotDto } from '../../../../preload/contract';
import { withTag } from '../../../../preload/shared/model-name';
import { errorText, getApi } from '../../bridge';
import { readGeneration } from '../../lib/read-generation';
import { useModels } from '../../stores/models-store';

interface ReindexProgress {
  /** Documents finished so far. */
  done: number;
  total: number;
  /** The one being embedded now. */
  current: string;
}

interface LibraryState {
  /** Every document: each conversation's and the shared ones. */
  documents: DocumentDto[];
  embedder: EmbedderStatusDto | null;
  /** The embedding model's download, once the person started it here (or one already running). */
  pull: PullSnapshotDto | null;
  progress: ReindexProgress | null;
  error: string | null;
  /** Per document: why its re-index left it keyword-only, or failed. */
  notes: Record<number, string>;
  load(): Promise<void>;
  remove(id: number): Promise<void>;
  /** Shares a document with every conversation (`null`), or keeps it to one. */
  share(id: number, sessionId: string | null): Promise<void>;
  /** Embeds these documents again with the current embedding model, one after the other. */
  reindex(ids: number[]): Promise<void>;
  /** Re-indexes every document without the current model's vectors. */
  reindexStale(): Promise<void>;
  /** The person's consent: pulls the embedding model; once it is installed, the stale documents are re-indexed. */
  download(): Promise<void>;
}

interface LibraryDeps {
  api(): AerisApi;
  /** Told of every snapshot of the download, so the Models page and its notices agree. */
  onPull?(s: PullSnapshotDto): void;
}

export const staleDocuments = (docs: readonly DocumentDto[], model: string | null): DocumentDto[] =>
  model ? docs.filter((d) => d.embedModel !== model) : [];

/** The documents library (all conversations) with re-index and delete, and the embedding model's download. */
export function createLibraryStore(deps: LibraryDeps) {
  const api = () => deps.api();
  let subscribed = false;
  /** Set by `download()`: re-index once this model's pull succeeds. */
  let awaiting: string | null = null;
  /**
   * A read of the list that lands after a newer read, or after a change applied here, is dropped: it was taken
   * before that change and would undo what the user just saw (a document shown shared, then not, while the
   * engine had shared it).
   */
  const reads = readGeneration();

  return create<LibraryState>((set, get) => {
    const onPull = (s: PullSnapshotDto) => {
      const model = get().embedder?.model;
      if (!model || withTag(model) !== s.name) return;
      set({ pull: s });
      if (s.state === 'success' && awaiting === s.name) {
        awaiting = null;
        void get()
          .load()
          .then(() => get().reindexStale());
      }
    };
    const subscribe = () => {
      if (subscribed) return;
      subscribed = true;
      api().on('models.pull', (s) => {
        const model = get().embedder?.model;
        if (model && withTag(model) === s.name) deps.onPull?.(s);
        onPull(s);
      });
    };

    return {
      documents: [],
      embedder: null,
      pull: null,
      progress: null,
      error: null,
      notes: {},

      async load() {
        subscribe();
        const current = reads.begin();
        try {
          const [{ documents }, embedder] = await Promise.all([
            api().call('documents.list', {}),
            api().call('documents.embedder', {}),
          ]);
          if (current()) set({ documents, embedder, error: null });
        } catch (err) {
          if (current()) set({ error: errorText(err) });
        }
      },

      async remove(id) {
        try {
          await api().call('documents.delete', { id });
          await get().load();
        } catch (err) {
          set({ error: errorText(err) });
        }
      },

      async share(id, sessionId) {
        try {
          const { document } = await api().call('documents.share', { id, sessionId });
          reads.changed();
          set((s) => ({ documents: s.documents.map((d) => (d.id === id ? document : d)), error: null }));
        } catch (err) {
          set({ error: errorText(err) });
        }
      },

      async reindex(ids) {
        if (get().progress) return; // one run at a time: the embedder is busy
        const byId = new Map(get().documents.map((d) => [d.id, d]));
        const todo = ids.filter((id) => byId.has(id));
        const notes = { ...get().notes };
        for (const [i, id] of todo.entries()) {
          set({ progress: { done: i, total: todo.length, current: byId.get(id)!.name } });
          try {
            const r = await api().call('documents.reindex', { id });
            if (r.note) notes[id] = r.note;
            else delete notes[id];
            reads.changed();
            set((s) => ({ documents: s.documents.map((d) => (d.id === id ? r.document : d)) }));
          } catch (err) {
            notes[id] = errorText(err);
          }
          set({ notes: { ...notes } });
        }
        set({ progress: null });
        await get().load();
      },

      reindexStale() {
        const { documents, embedder } = get();
        return get().reindex(staleDocuments(documents, embedder?.installed ? embedder.model : null).map((d) => d.id));
      },

      async download() {
        const model = get().embedder?.model;
        if (!model) return;
        subscribe();
        const name = withTag(model);
        awaiting = name;
        try {
          const snap = await api().call('models.pullStart', { name });
          deps.onPull?.(snap);
          onPull(snap);
        } catch (err) {
          awaiting = null;
          set({ error: errorText(err) });
        }
      },
    };
  });
}

export const useLibrary = createLibraryStore({ api: getApi, onPull: (s) => useModels.getState().onPull(s) });
