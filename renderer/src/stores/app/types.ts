import type { StateCreator } from 'zustand';
import type {
  AerisApi,
  AppInfoDto,
  CallOutput,
  ChatEventDto,
  HealthDto,
  InstalledModelDto,
  LocationDto,
  MessageDto,
  ProviderIdDto,
  SearchHitDto,
  SessionDto,
  SettingsDto,
} from '../../../../preload/contract';
import type { HttpBridge } from '../../bridge/http-bridge';
import type { t as translate, UiLanguage } from '../../i18n';

/* The state and actions of each slice (stores/app/*-slice.ts): here, so that the slices and AppState do not
   import each other. */

type Style = SettingsDto['defaultStyle'];

/** Start-up, Settings and health: what the app knows about the engine before a conversation is shown. */
export interface StartupSlice {
  ready: boolean;
  fatal: string | null;
  /** The chat history is damaged: the recovery screen replaces the app until it is restored or salvaged. */
  recoveryActive: boolean;
  info: AppInfoDto | null;
  settings: SettingsDto | null;
  health: HealthDto | null;
  /**
   * Connects to the engine and loads the first screen's state, once (a second call shares the first). `strings`:
   * the first language's strings loading meanwhile — no words are set (nor Settings' language applied) before.
   */
  init(strings?: Promise<void>): Promise<void>;
  /** Leaves the recovery screen and loads the app on the repaired store. */
  recovered(): Promise<void>;
  refreshHealth(): Promise<void>;
  updateSettings(patch: Partial<SettingsDto>): Promise<void>;
}

/** The conversations: the list, the one open, and the search across their messages. */
export interface SessionsSlice {
  sessions: SessionDto[];
  activeId: string | null;
  searchQuery: string;
  searchHits: SearchHitDto[];
  refreshSessions(): Promise<void>;
  select(id: string | null): Promise<void>;
  newChat(): void;
  rename(id: string, title: string): Promise<void>;
  remove(id: string): Promise<void>;
  search(q: string): Promise<void>;
  exportSession(id: string, format: 'markdown' | 'json'): Promise<void>;
}

/** The messages of the conversations on screen and the replies being written in them. */
export interface ChatSlice {
  messages: Record<string, MessageDto[]>;
  /** sessionId → streamId of the reply being written there. */
  streams: Record<string, string>;
  send(text: string): Promise<void>;
  stop(): Promise<void>;
  regenerate(): Promise<void>;
  editAndResend(messageId: number, content: string): Promise<void>;
  onChatEvent(e: ChatEventDto): void;
}

/**
 * The choice for the next new chat (model, style, provider) and the installed models it is made from. With a
 * conversation open, setModel and setStyle change that conversation instead.
 */
export interface NewChatSlice {
  models: InstalledModelDto[];
  modelsError: string | null;
  /** The model for the next new chat (before a session exists); kept across reloads. */
  draftModel: string | null;
  /** What the engine gives a chat started without a model (the default while installed, else a tool-capable one). */
  newChatModel: string | null;
  draftStyle: Style | null;
  /** The provider (and its model) picked for the next new chat; null follows the default in Settings. */
  draftProvider: { provider: ProviderIdDto; model: string | null } | null;
  setDraftProvider(choice: { provider: ProviderIdDto; model: string | null } | null): void;
  refreshModels(): Promise<void>;
  setModel(model: string): Promise<void>;
  setStyle(style: Style): Promise<void>;
}

interface Notice {
  id: number;
  kind: 'error' | 'info' | 'warning';
  text: string;
}

/** Toasts: at most four at a time; errors stay until closed, the others go after `noticeMs`. */
export interface NoticesSlice {
  notices: Notice[];
  notify(kind: Notice['kind'], text: string): void;
  dismiss(id: number): void;
}

/** Where the user is: the page shown, the settings dialog, and a request for the search box's focus. */
export interface NavigationSlice {
  settingsOpen: boolean;
  /** The page shown (see app/pages.tsx). */
  page: string;
  /** Asks the search box to take focus (the box owns its element; the store only asks). */
  searchFocusWanted: boolean;
  setPage(id: string): void;
  focusSearch(): void;
  searchFocusDone(): void;
  openSettings(open: boolean): void;
}

/** The whole app store: one slice per idea, composed by createAppStore (stores/app-store.ts). */
export type AppState = StartupSlice & SessionsSlice & ChatSlice & NewChatSlice & NoticesSlice & NavigationSlice;

/** A slice: it may read and write the whole state (its actions call other slices'), and returns its own part. */
export type Slice<T> = StateCreator<AppState, [], [], T>;

/** The event stream of the HTTP bridge in serve mode: it can drop and come back. */
type Connection = Pick<HttpBridge, 'whenConnected' | 'onConnectionChange'>;

/** The UI language, owned by i18n: sent with chat requests, switched when Settings saves one. */
interface LanguageDeps {
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
