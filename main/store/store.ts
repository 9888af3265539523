import type { Clock } from '../core/clock';
import { releaseStoreFile } from './store-file-descriptor';
import { openDatabase, type Db } from './database';
import { MessagesRepository, type BackgroundWriteHooks } from './messages-repository';
import { MessageToolsRepository } from './message-tools-repository';
import { ProviderRecords } from './provider-records';
import { SessionsRepository } from './sessions-repository';
import { AnswerVersionsRepository } from './answer-versions-repository';
import { ChatSettingsRepository } from './chat-settings-repository';

export interface Store {
  readonly db: Db;
  readonly file: string;
  readonly sessions: SessionsRepository;
  readonly messages: MessagesRepository;
  /** Tool activity per assistant reply (chips, AQI badges, charts). */
  readonly toolActivity: MessageToolsRepository;
  /** Which provider a chat uses and which one wrote each reply. */
  readonly providers: ProviderRecords;
  /** Earlier answers kept by Regenerate. */
  readonly answerVersions: AnswerVersionsRepository;
  /** A chat's own system prompt, temperature and context length. */
  readonly chatSettings: ChatSettingsRepository;
  /** Cheap liveness probe for health checks. */
  ping(): void;
  close(): void;
}

export function openStore(
  file: string,
  clock: Clock,
  hooks: BackgroundWriteHooks = {},
  open: { check?: (db: Db) => void } = {},
): Store {
  const db = openDatabase(file, open);
  const sessions = new SessionsRepository(db, clock);
  const messages = new MessagesRepository(db, clock, hooks);
  const toolActivity = new MessageToolsRepository(db, clock);
  messages.recoverInterrupted();
  return {
    db,
    file,
    sessions,
    messages,
    toolActivity,
    providers: new ProviderRecords(db),
    answerVersions: new AnswerVersionsRepository(db),
    chatSettings: new ChatSettingsRepository(db),
    ping: () => void db.prepare('SELECT 1').get(),
    close: () => {
      if (db.open) db.close();
      releaseStoreFile(file); // after the connection: closing it earlier would drop the connection's lock
    },
  };
}
