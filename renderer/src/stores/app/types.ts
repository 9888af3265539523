import type { StateCreator } from 'zustand';
import type { AerisApi, CallOutput, LocationDto } from '../../../../preload/contract';
import type { HttpBridge } from '../../bridge/http-bridge';
import type { t as translate, UiLanguage } from '../../i18n';
import type { ChatSlice } from './chat-slice';
import type { NavigationSlice } from './navigation-slice';
import type { NewChatSlice } from './new-chat-slice';
import type { NoticesSlice } from './notices-slice';
import type { SessionsSlice } from './sessions-slice';
import type { StartupSlice } from './startup-slice';

/** The whole app store: one slice per idea, composed by createAppStore (stores/app-store.ts). */
export type AppState = StartupSlice & SessionsSlice & ChatSlice & NewChatSlice & NoticesSlice & NavigationSlice;

/** A slice: it may read and write the whole state (its actions call other slices'), and returns its own part. */
export type Slice<T> = StateCreator<AppState, [], [], T>;

/** The event stream of the HTTP bridge in serve mode: it can drop and come back. */
export type Connection = Pick<HttpBridge, 'whenConnected' | 'onConnectionChange'>;

/** The UI language, owned by i18n: sent with chat requests, switched when Settings saves one. */
export interface LanguageDeps {
  current(): UiLanguage;
  set(lng: UiLanguage): Promise<void>;
  /** The language followed when Settings chooses none. */
  system(): UiLanguage;
  /** Translates a notice's sentence. */
  t: typeof translate;
}

/** What the store is built on; createAppStore fills in the optional ones with the browser's own. */
export interface AppStoreDeps {
  /** The contract (Electron preload or the HTTP bridge). */
  api(): AerisApi;
  /** The HTTP bridge in serve mode (its event stream can drop and come back); null under Electron. */
  connection(): Connection | null;
  /** How long an info notice stays; errors stay until closed. */
  noticeMs?: number;
  /** Timers (notices that go, a download's address released): the global ones unless a test hands others. */
  timers?: { setTimeout(run: () => void, ms: number): unknown };
  /** Where the model picked for new chats is kept across reloads (localStorage). */
  draftModel?: { get(): string | null; set(value: string | null): void };
  /** "My location", sent with every question so "here" has an answer. */
  here?: () => Pick<LocationDto, 'latitude' | 'longitude'> | null;
  language?: LanguageDeps;
  /** Hands an exported conversation to the user (a download in the browser). */
  download?: (file: CallOutput<'sessions.export'>) => void;
}

/** The deps with every default filled in: what the slices receive. */
export type SliceDeps = Required<AppStoreDeps>;
