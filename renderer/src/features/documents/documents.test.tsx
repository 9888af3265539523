import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { DocumentDto, EmbedderStatusDto } from '../../../../preload/contract';
import { engineAnswers, session } from '../../test-support/engine-fixtures';
import { message } from '../../test-support/fake-bridge';
import { pickFiles, useFakeBridge } from '../../test-support/render-with-bridge';

const doc = (over: Partial<DocumentDto> & Pick<DocumentDto, 'id' | 'name'>): DocumentDto => ({
  sessionId: 's1',
  kind: 'pdf',
  sizeBytes: 120_000,
  pages: 12,
  chunks: 40,
  embedModel: 'nomic-embed-text',
  createdAt: 0,
  ...over,
});

const REPORT = doc({ id: 1, name: 'who-report.pdf' });
const SHEET = doc({ id: 2, name: 'readings.xlsx', kind: 'xlsx', pages: 3, embedModel: null, sessionId: null });
const OTHER = doc({ id: 3, name: 'other.csv', kind: 'csv', pages: null, sessionId: 's2' });

const EMBEDDER: EmbedderStatusDto = {
  model: 'nomic-embed-text',
  installed: true,
  downloadBytes: 274_000_000,
  verdict: 'full-gpu',
  reason: null,
  stale: 1,
};

/** A chat whose answer cites a page of an attached report. */
function documentsEngine() {
  let docs = [REPORT, SHEET, OTHER];
  return {
    ...engineAnswers(),
    'sessions.list': () => ({
      sessions: [session({ id: 's1', title: 'WHO guideline' }), session({ id: 's2', title: 'Sensors' })],
      total: 2,
    }),
    'messages.list': () => ({
      messages: [
        message({ id: 1, sessionId: 's1', role: 'user', content: 'What does the WHO say?', status: 'complete' }),
        message({
          id: 2,
          sessionId: 's1',
          status: 'complete',
          content: 'The guideline is 15 µg/m³ [who-report.pdf, p. 3] and [gone.pdf].',
        }),
      ],
      total: 2,
    }),
    'documents.list': ({ sessionId }: { sessionId?: string }) => ({
      documents: sessionId ? docs.filter((d) => d.sessionId === sessionId || d.sessionId === null) : docs,
    }),
    'documents.embedder': () => EMBEDDER,
    'documents.cited': ({ file }: { file: string }) => ({
      passages:
        file === 'who-report.pdf'
          ? [
              {
                chunkId: 9,
                docId: 1,
                file,
                page: 3,
                label: 'p. 3',
                cite: '[who-report.pdf, p. 3]',
                text: 'The 24-hour mean should not exceed 15 µg/m³.',
              },
            ]
          : [],
    }),
    'documents.add': ({ name, sessionId }: { name: string; sessionId?: string | null }) => {
      const added = doc({ id: 4, name, sessionId: sessionId ?? null, embedModel: null });
      docs = [...docs, added];
      return { document: added, note: 'No embedding model yet: searched by keywords.' };
    },
    'documents.delete': ({ id }: { id: number }) => {
      docs = docs.filter((d) => d.id !== id);
      return { deleted: true };
    },
    'documents.share': ({ id, sessionId }: { id: number; sessionId: string | null }) => {
      docs = docs.map((d) => (d.id === id ? { ...d, sessionId } : d));
      return { document: docs.find((d) => d.id === id)! };
    },
    'documents.reindex': ({ id }: { id: number }) => {
      docs = docs.map((d) => (d.id === id ? { ...d, embedModel: 'nomic-embed-text' } : d));
      return { document: docs.find((d) => d.id === id)!, note: null };
    },
  };
}

async function openChat() {
  const { useApp } = await import('../../stores/app-store');
  const { ChatPage } = await import('../chat/ChatPage');
  await useApp.getState().init();
  render(<ChatPage />);
}

describe('documents in the chat', () => {
  const fake = useFakeBridge(documentsEngine);

  it('shows the conversation’s documents as chips and a cited passage on click', async () => {
    await openChat();
    const chips = await screen.findAllByTestId('doc-chip');
    expect(chips.map((c) => c.textContent)).toEqual([
      expect.stringContaining('who-report.pdf 12 pages · 40 passages'),
      expect.stringContaining('readings.xlsx 3 sheets · 40 passages'),
    ]);
    expect(within(chips[1]!).getByText('keywords only')).toBeTruthy();
    expect(within(chips[1]!).getByText('shared')).toBeTruthy();
    expect(await screen.findByText('1 document is searched by keywords only.')).toBeTruthy();

    fireEvent.click(await screen.findByRole('button', { name: /who-report\.pdf, p\. 3/ }));
    const passage = await screen.findByRole('region', { name: 'Cited passage' });
    expect(passage.textContent).toBe('The 24-hour mean should not exceed 15 µg/m³.');
    expect(fake.bridge.calls.find((c) => c.name === 'documents.cited')?.input).toEqual({
      file: 'who-report.pdf',
      label: 'p. 3',
      sessionId: 's1',
    });
    fireEvent.click(screen.getByRole('button', { name: /gone\.pdf/ }));
    expect(await screen.findByText('This passage is no longer in the documents.')).toBeTruthy();
  });

  it('attaches a picked file to the conversation and says it is searched by keywords', async () => {
    await openChat();
    await screen.findAllByTestId('doc-chip');
    const pdf = new File([new Uint8Array([37, 80, 68, 70])], 'notes.pdf', { type: 'application/pdf' });
    pickFiles(screen.getByLabelText('Attach documents'), [pdf]);
    expect(await screen.findByText('No embedding model yet: searched by keywords.')).toHaveProperty('role', 'status');
    expect(fake.bridge.calls.find((c) => c.name === 'documents.add')?.input).toEqual({
      name: 'notes.pdf',
      dataBase64: 'JVBERg==',
      sessionId: 's1',
    });
    await waitFor(() => expect(screen.getAllByTestId('doc-chip')).toHaveLength(3));
    fireEvent.click(screen.getByRole('button', { name: 'Remove notes.pdf' }));
    await waitFor(() => expect(screen.getAllByTestId('doc-chip')).toHaveLength(2));
  });

  it('opens the library: lists, filters, shares, re-indexes and deletes after asking', async () => {
    await openChat();
    fireEvent.click(await screen.findByRole('button', { name: 'Library' }));
    const library = await screen.findByRole('dialog', { name: 'Documents' });
    await waitFor(() => expect(within(library).getAllByTestId('doc-lib-row')).toHaveLength(2));
    fireEvent.click(within(library).getByRole('radio', { name: 'All documents' }));
    const rows = within(library).getAllByTestId('doc-lib-row');
    expect(rows).toHaveLength(3);
    expect(rows[2]!.textContent).toContain('Sensors');
    expect(rows[1]!.textContent).toContain('Shared');
    expect(rows[1]!.textContent).toContain('Keywords only');
    expect(rows[0]!.textContent).toContain('nomic-embed-text + keywords');

    fireEvent.click(within(rows[0]!).getByRole('button', { name: 'Share with all' }));
    await waitFor(() =>
      expect(fake.bridge.calls.find((c) => c.name === 'documents.share')?.input).toEqual({ id: 1, sessionId: null }),
    );
    fireEvent.click(within(library).getByRole('button', { name: 'Re-index readings.xlsx' }));
    await waitFor(() =>
      expect(fake.bridge.calls.find((c) => c.name === 'documents.reindex')?.input).toEqual({ id: 2 }),
    );
    fireEvent.click(within(library).getByRole('button', { name: 'Delete other.csv' }));
    expect(within(library).getByText('Delete it and its vectors?')).toBeTruthy();
    fireEvent.click(within(library).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(within(library).getAllByTestId('doc-lib-row')).toHaveLength(2));
    expect(fake.bridge.calls.find((c) => c.name === 'documents.delete')?.input).toEqual({ id: 3 });
  });
});

describe('the embedding model offer', () => {
  const fake = useFakeBridge(() => ({
    ...documentsEngine(),
    'documents.embedder': () => ({ ...EMBEDDER, installed: false, verdict: 'cpu' as const, reason: 'no GPU' }),
    'models.pullStart': ({ name }: { name: string }) => ({
      name,
      state: 'pulling' as const,
      status: 'pulling',
      layers: [],
      completedBytes: 0,
      totalBytes: 274_000_000,
      percent: 0,
      bytesPerSecond: 0,
      etaSeconds: null,
      error: null,
      resumable: false,
      queuePosition: null,
      startedAt: 1,
      updatedAt: 1,
    }),
  }));

  it('asks before downloading the embedding model, with its size and fit, then shows the download', async () => {
    await openChat();
    const offer = await screen.findByTestId('doc-embed-offer');
    expect(offer.textContent).toContain('Better search needs a small download: nomic-embed-text, 274 MB');
    expect(offer.textContent).toContain('CPU only · no GPU');
    fireEvent.click(within(offer).getByRole('button', { name: 'Download' }));
    await waitFor(() =>
      expect(fake.bridge.calls.find((c) => c.name === 'models.pullStart')?.input).toEqual({
        name: 'nomic-embed-text:latest',
      }),
    );
    expect((await screen.findByTestId('doc-embed-pull')).textContent).toContain('Downloading nomic-embed-text');
  });
});
