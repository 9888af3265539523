import { errorText } from '../../bridge/error-text';
import type { NewChatSlice, Slice, SliceDeps } from './types';

export const isInstalled = (s: Pick<NewChatSlice, 'models'>, name: string) => s.models.some((m) => m.name === name);

/** The model a new chat will use: the one picked for it while installed, else the engine's choice. */
export function newChatChoice(s: Pick<NewChatSlice, 'models' | 'draftModel' | 'newChatModel'>): string | null {
  return s.draftModel && isInstalled(s, s.draftModel) ? s.draftModel : s.newChatModel;
}

export const newChatSlice =
  (deps: Pick<SliceDeps, 'api' | 'draftModel'>): Slice<NewChatSlice> =>
  (set, get) => {
    const fail = (err: unknown) => get().notify('error', errorText(err));
    return {
      models: [],
      modelsError: null,
      draftModel: deps.draftModel.get(),
      newChatModel: null,
      draftStyle: null,
      draftProvider: null,

      setDraftProvider(choice) {
        set({ draftProvider: choice });
      },

      async refreshModels() {
        try {
          const { models, newChatModel } = await deps.api().call('models.list', { fresh: true });
          set({ models, newChatModel: newChatModel ?? null, modelsError: null });
        } catch (err) {
          set({ models: [], modelsError: errorText(err) });
        }
      },

      async setModel(model) {
        const { activeId } = get();
        if (!activeId) {
          deps.draftModel.set(model);
          return set({ draftModel: model });
        }
        try {
          await deps.api().call('sessions.update', { id: activeId, model });
          await get().refreshSessions();
        } catch (err) {
          fail(err);
        }
      },

      async setStyle(style) {
        const { activeId } = get();
        if (!activeId) return set({ draftStyle: style });
        try {
          await deps.api().call('sessions.update', { id: activeId, style });
          await get().refreshSessions();
        } catch (err) {
          fail(err);
        }
      },
    };
  };
