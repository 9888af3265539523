/**
 * The one contract between the UI and the engine: every call with its input schema and output type,
 * and every event. Electron's preload exposes exactly these names; serve mode offers the same ones over
 * HTTP. The renderer imports only types from here; main validates every input with these schemas.
 * Each capability declares its calls in preload/contract/<capability>.ts; they are merged here.
 */
import type { z } from 'zod';
import { CORE_CALLS, type ChatEventDto } from './contract/core';
import { IMPORTS_CALLS, type ImportProgressDto } from './contract/imports';
import { DOCUMENTS_CALLS } from './contract/documents';
import { AIRQUALITY_CALLS } from './contract/airquality';
import { MODELS_CALLS, type EngineStatusDto, type PullSnapshotDto } from './contract/models';
import { OPS_CALLS, type BackupProgressDto } from './contract/ops';
import { RECOVERY_CALLS } from './contract/recovery';
import { PROVIDERS_CALLS } from './contract/providers';
import type { EngineTextDto } from './shared/engine-messages';

export * from './contract/core';
export * from './contract/imports';
export * from './contract/documents';
export * from './contract/airquality';
export * from './contract/models';
export * from './contract/ops';
export * from './contract/recovery';
export * from './contract/providers';
export type { EngineTextDto } from './shared/engine-messages';

export const CALLS = {
  ...CORE_CALLS,
  ...IMPORTS_CALLS,
  ...DOCUMENTS_CALLS,
  ...AIRQUALITY_CALLS,
  ...MODELS_CALLS,
  ...OPS_CALLS,
  ...RECOVERY_CALLS,
  ...PROVIDERS_CALLS,
} as const;

export type CallName = keyof typeof CALLS;
export type CallInput<N extends CallName> = z.input<(typeof CALLS)[N]['input']>;
export type CallOutput<N extends CallName> = (typeof CALLS)[N]['output'];

export const CALL_NAMES = Object.keys(CALLS) as CallName[];

// ---- Events --------------------------------------------------------------------------------------

export interface EventMap {
  'chat.event': ChatEventDto;
  'imports.progress': ImportProgressDto;
  'settings.changed': { ollamaHost: string };
  'ollama.engine': EngineStatusDto;
  'models.pull': PullSnapshotDto;
  'backups.progress': BackupProgressDto;
}
export type EventName = keyof EventMap;
export const EVENT_NAMES: EventName[] = [
  'chat.event',
  'settings.changed',
  'ollama.engine',
  'models.pull',
  'backups.progress',
  'imports.progress',
];

/** Electron channel names, one list for main and preload. */
export const IPC_CALL_CHANNEL = 'aeris:call';
export const IPC_EVENT_CHANNEL = 'aeris:event';

/** The API the preload exposes as `window.aeris` and the HTTP bridge implements in the browser. */
export interface AerisApi {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  /**
   * Electron only: the call's reply as data, failure included. An error thrown across contextBridge keeps only
   * its message, so the renderer reads a failure's code and message id from here.
   */
  reply?<N extends CallName>(name: N, input: CallInput<N>): Promise<CallReply<N>>;
  on<E extends EventName>(name: E, fn: (payload: EventMap[E]) => void): () => void;
  /** Electron only: the path of a dropped or picked File (a DOM File; typed loosely as main has no DOM types). */
  pathForFile?(file: unknown): string;
}

/** A call's answer as data: its result, or how it failed. */
type CallReply<N extends CallName> = { ok: true; result: CallOutput<N> } | { ok: false; error: CallErrorDto };

/** How a failed call comes back across the boundary. */
export interface CallErrorDto {
  code: string;
  message: string;
  details?: Record<string, unknown>;
  /** The message as an id and parameters, for the UI to word in its language (issue 15); `message` is English. */
  text?: EngineTextDto;
}
