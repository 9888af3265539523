/**
 * The sandboxed preload: exposes exactly the contract (`window.aeris.call` / `.on`), never ipcRenderer.
 * Bundled to one CJS file because a sandboxed preload may only require `electron`.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import {
  CALL_NAMES,
  EVENT_NAMES,
  IPC_CALL_CHANNEL,
  IPC_EVENT_CHANNEL,
  type AerisApi,
  type CallErrorDto,
  type EventMap,
  type EventName,
} from './contract';

type Reply = { ok: true; result: unknown } | { ok: false; error: CallErrorDto };

/** Shaped like the HTTP bridge's BridgeError, so the UI words it the same way (code, details, message id). */
class ContractError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly text?: CallErrorDto['text'],
  ) {
    super(message);
  }
}

const api: AerisApi = {
  async call(name, input) {
    if (!CALL_NAMES.includes(name)) throw new ContractError('not_found', `Unknown call ${String(name)}`);
    const reply = (await ipcRenderer.invoke(IPC_CALL_CHANNEL, name, input)) as Reply;
    if (!reply.ok)
      throw new ContractError(reply.error.code, reply.error.message, reply.error.details, reply.error.text);
    return reply.result as never;
  },
  async reply(name, input) {
    if (!CALL_NAMES.includes(name)) {
      return { ok: false, error: { code: 'not_found', message: `Unknown call ${String(name)}` } };
    }
    return (await ipcRenderer.invoke(IPC_CALL_CHANNEL, name, input)) as never;
  },
  on<E extends EventName>(name: E, fn: (payload: EventMap[E]) => void) {
    if (!EVENT_NAMES.includes(name)) throw new Error(`Unknown event ${name}`);
    const listener = (_e: IpcRendererEvent, event: string, payload: unknown) => {
      if (event === name) fn(payload as EventMap[E]);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, listener);
    return () => void ipcRenderer.removeListener(IPC_EVENT_CHANNEL, listener);
  },
  // Sandboxed renderers no longer see File.path; the sensor-file import needs the dropped file's path.
  pathForFile: (file) => webUtils.getPathForFile(file as File),
};

contextBridge.exposeInMainWorld('aeris', api);
