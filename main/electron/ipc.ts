import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../preload/contract';
import { dispatch, toCallError } from '../api/dispatch';
import { forwardEngineEvents } from '../api/engine-events';
import { createHandlers } from '../api/handlers';
import { AppError } from '../core/errors';
import type { Engine } from '../engine';
import { isTrustedUrl } from './security-policy';
import { pickFolder } from './dialogs';

/** One IPC channel for every contract call: sender checked, payload validated by the contract schema. */
export function registerIpc(engine: Engine, rendererIndex: string, target: () => WebContents | null): () => void {
  const handlers = createHandlers(engine, 'electron');
  handlers['dialog.pickFolder'] = (input) => pickFolder(target(), input);
  ipcMain.handle(IPC_CALL_CHANNEL, async (event: IpcMainInvokeEvent, name: unknown, input: unknown) => {
    try {
      const frameUrl = event.senderFrame?.url ?? '';
      if (!isTrustedUrl(frameUrl, rendererIndex)) throw new AppError('forbidden', 'IPC from an untrusted frame.');
      if (typeof name !== 'string') throw new AppError('bad_request', 'Call name must be a string.');
      return { ok: true, result: (await dispatch(handlers, name, input)) ?? null };
    } catch (err) {
      return { ok: false, error: toCallError(err) };
    }
  });
  const off = forwardEngineEvents(engine.events, (name, payload) => {
    const wc = target();
    if (wc && !wc.isDestroyed()) wc.send(IPC_EVENT_CHANNEL, name, payload);
  });
  return () => {
    off();
    ipcMain.removeHandler(IPC_CALL_CHANNEL);
  };
}
