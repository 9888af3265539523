/**
 * The engine's user-facing sentences as message ids with typed parameters (issue 15). The engine keeps its
 * English words for the CLI, the logs and the original server's API, and sends `{ id, params }` beside them;
 * the UI words the id in its language from `engine.<id>` in renderer/src/i18n/locales/{en,fr,sw}.json.
 *
 * Each parameter has a kind that says how the UI writes it, so the engine sends figures and never
 * formats them for a language: `count` a whole number, `bytes` memory ("5.4 GB", "5,4 GB"), `disk` a file or
 * disk size in decimal units as Ollama and file managers write them, `tokens` a
 * context length ("4k"), `time` an epoch-ms moment (written as "5 min ago"), `text` words taken as they are
 * (a model or host name, or the server's own English detail), `provider` a provider id (`ollama`,
 * `openai-compatible`, `gemini`) that the UI writes by its name in the UI's language. A parameter named `count` drives i18next's
 * plural forms (`_one`, `_other`, …).
 */
export type EngineParamKind = 'text' | 'count' | 'bytes' | 'disk' | 'tokens' | 'time' | 'provider';

type Kinds = Readonly<Record<string, EngineParamKind>>;

const VRAM = { vramBytes: 'bytes', vramFreeBytes: 'bytes' } as const;

export const ENGINE_MESSAGES = {
  // ---- Fit verdict (main/hardware/fit-verdict.ts, recommendations.ts): the parts are joined with "; ".
  'fit.fullGpu': { needBytes: 'bytes', ...VRAM, ctx: 'tokens' },
  'fit.fullGpuTight': { needBytes: 'bytes', ...VRAM, ctx: 'tokens' },
  'fit.fullGpuSpread': { needBytes: 'bytes', ...VRAM, gpus: 'count', ctx: 'tokens' },
  'fit.partial': {
    needBytes: 'bytes',
    layers: 'count',
    ...VRAM,
    placed: 'count',
    ramBytes: 'bytes',
    ctx: 'tokens',
  },
  'fit.partialOutputOnCpu': {
    needBytes: 'bytes',
    layers: 'count',
    ...VRAM,
    placed: 'count',
    ramBytes: 'bytes',
    ctx: 'tokens',
  },
  'fit.cpuNoLayerFits': { needBytes: 'bytes', ...VRAM, ramFreeBytes: 'bytes', ctx: 'tokens' },
  'fit.tooLarge': { needBytes: 'bytes', ...VRAM, ramFreeBytes: 'bytes', ctx: 'tokens' },
  'fit.cpuNoGpu': { needBytes: 'bytes', ramFreeBytes: 'bytes', ctx: 'tokens' },
  'fit.tooLargeNoGpu': { needBytes: 'bytes', ramFreeBytes: 'bytes', ctx: 'tokens' },
  'fit.notChat': {},
  'fit.noTools': {},
  'fit.noShape': {},
  'fit.measured': { usedBytes: 'bytes' },
  'fit.diskShort': { downloadBytes: 'bytes', diskFreeBytes: 'bytes', dir: 'text' },

  // ---- Health checks (main/ops/health.ts): the parts of one reason are joined with a space.
  'health.checkFailed': { error: 'text' },
  'health.storeRecovery': { reason: 'text' },
  'health.storeOk': { count: 'count' },
  'health.storeMessages': { count: 'count' },
  'health.storeFail': { error: 'text' },
  'health.cacheOk': {},
  'health.cacheWrong': {},
  'health.cacheFail': { error: 'text' },
  // The default provider when it is not Ollama: its own sentence (which names it), else its English detail.
  'health.providerDetail': { provider: 'provider', detail: 'text' },
  'health.providerModels': { provider: 'provider', count: 'count', url: 'text' },
  'health.providerNoGeminiKey': {},
  'health.ollamaOk': { version: 'text', host: 'text' },
  'health.ollamaOkStarted': { version: 'text', host: 'text' },
  'health.ollamaOkExternal': { version: 'text', host: 'text' },
  'health.ollamaRestarted': { count: 'count' },
  'health.ollamaStarting': { host: 'text' },
  'health.ollamaUnreachable': { host: 'text', error: 'text' },
  'health.chatsUseOther': { provider: 'provider' },
  'health.sourcesNone': {},
  'health.sourcesNoKey': { names: 'text' },
  'health.sourcesOk': { names: 'text' },
  'health.sourceRetrying': { name: 'text', failures: 'count', error: 'text' },
  'health.sourcePaused': { name: 'text', failures: 'count', error: 'text' },
  'health.sourcePausedRetry': { name: 'text', failures: 'count', error: 'text', minutes: 'count' },
  'health.sourcesCacheMeanwhile': {},
  'health.sourcesOthersAnswer': {},
  'health.diskFull': { freeBytes: 'bytes', dir: 'text', needBytes: 'bytes' },
  'health.diskAlmostFull': { freeBytes: 'bytes', dir: 'text', needBytes: 'bytes' },
  'health.diskSaveFailed': { what: 'text', at: 'time' },
  'health.diskFullAfter': {},
  'health.diskLow': { freeBytes: 'bytes', totalBytes: 'bytes', usedPercent: 'count' },
  'health.diskOverThreshold': { freeBytes: 'bytes', totalBytes: 'bytes', usedPercent: 'count' },
  'health.diskOk': { freeBytes: 'bytes', totalBytes: 'bytes', usedPercent: 'count' },
  'health.backupNone': {},
  'health.backupOk': { at: 'time', count: 'count' },
  'health.backupMessagesOld': { count: 'count' },
  'health.errorRateNotJudged': { count: 'count', needed: 'count' },
  'health.errorRate': { percent: 'count', requests: 'count', threshold: 'count' },
  'health.latencyNotJudged': { count: 'count' },
  'health.latency': { seconds: 'count', threshold: 'count' },

  // ---- Errors (AppError): what a person meets when something goes wrong.
  'error.ollamaUnavailable': { host: 'text' },
  'error.modelNoTools': { model: 'text' },
  'error.modelNotInstalled': { model: 'text' },
  'error.ollamaError': { error: 'text' },
  'error.noModelForProvider': { provider: 'provider' },
  'error.noModelInstalled': {},
  'error.diskFull': {},
  'error.diskFullAt': { dir: 'text' },
  'error.storeDamaged': { reason: 'text' },
  'error.sessionLimit': { count: 'count' },
  // A conversation nearing its limit (main/chat/session-limits.ts): the reply's warning, not a refusal.
  'warning.sessionNearLimit': { count: 'count', max: 'count', left: 'count' },
  'error.messageEmpty': {},
  'error.messageTooLong': { length: 'count', limit: 'count' },
  'error.editTooLong': { limit: 'count' },
  'error.unknownStyle': { style: 'text' },
  // A chat's own settings (main/chat/chat-settings.ts).
  'error.systemPromptTooLong': { length: 'count', limit: 'count' },
  'error.temperatureOutOfRange': {},
  'error.contextLengthOutOfRange': { min: 'count', max: 'count' },
  'error.contextLengthOverModel': { model: 'text', max: 'count' },
  'error.badSessionId': {},
  'error.replyInProgress': {},
  'error.nothingToAnswerAgain': {},
  'error.messageNotFound': { id: 'count' },
  'error.onlyOwnEdit': {},
  'error.sessionNotFound': { id: 'text' },
  'error.replyNotSaved': { error: 'text' },
  'error.bodyTooLarge': { limitBytes: 'bytes' },
  'error.bodyNotObject': {},
  'error.bodyInvalidJson': { error: 'text' },
  'error.unauthorized': {},
  'error.tooManyStreams': { max: 'count' },
  'error.hostNotAllowed': {},
  'error.originNotAllowed': {},
  'error.tooManyChats': { seconds: 'count' },
  'error.noRoute': { method: 'text', path: 'text' },
  'error.browserUploadInstead': {},
  'error.browserPathBackups': { dir: 'text' },
  'error.browserPathExports': { dir: 'text' },
  'error.browserPathEither': { backups: 'text', exports: 'text' },
  'error.exportFolderDesktopOnly': { configFile: 'text' },
  'error.restoreNotConfirmed': {},
  'error.unknownPollutant': { pollutant: 'text' },

  // ---- Models: names, pulls, delete, export/import to a folder (main/ollama, models-handlers).
  'error.modelNotFound': { model: 'text' },
  'error.badModelName': { name: 'text' },
  'error.noPull': { model: 'text' },
  'error.pullNoSpace': { model: 'text', needBytes: 'disk', marginBytes: 'disk', freeBytes: 'disk', dir: 'text' },
  'error.transferNoSpace': { needBytes: 'disk', freeBytes: 'disk', dir: 'text' },
  'error.manifestNotJson': { file: 'text' },
  'error.manifestBadEntry': { file: 'text' },
  'error.blobCorrupt': { file: 'text' },
  'error.modelNotInFolder': { model: 'text', dir: 'text' },
  'error.installedIncomplete': { model: 'text', dir: 'text' },
  'error.noModelInFolder': { dir: 'text' },
  'error.modelDiffers': { model: 'text' },
  'error.folderMissingFile': { file: 'text' },
  'error.folderWrongSize': { file: 'text', size: 'count', expected: 'count' },
  'error.notFullPath': { path: 'text' },
  'error.modelsFolderRemote': { host: 'text' },
  'error.compareFailed': { error: 'text' },
  'error.folderNotFound': { dir: 'text' },

  // ---- Conversations.
  'error.stopBeforeProvider': {},
  'error.stopBeforeDelete': {},
  'error.noLegacyDb': {},

  // ---- Sensor-file imports (main/imports, imports-handlers, the upload route).
  'error.fileNotFound': { file: 'text' },
  'error.notAFile': { file: 'text' },
  'error.importUnknownColumns': { name: 'text' },
  'error.importHeader': { name: 'text', error: 'text' },
  'error.importEmpty': { name: 'text' },
  'error.noSite': { name: 'text' },
  'error.pathNotAbsolute': {},
  'error.uploadUsePost': {},
  'error.uploadNotMultipart': {},
  'error.uploadBadFormat': { formats: 'text' },
  'error.uploadBadImportId': {},
  'error.uploadTooLarge': { limitBytes: 'disk' },
  'error.lineTooLong': { line: 'count', maxBytes: 'disk' },
  'error.someLineTooLong': { maxBytes: 'disk' },
  'error.unknownTimeZone': { zone: 'text' },

  // ---- Documents attached in the chat (main/documents, documents-handlers).
  'document.oldExcel': { name: 'text' },
  'document.oldWord': { name: 'text' },
  'document.unsupported': { name: 'text' },
  'document.notPdf': { name: 'text' },
  'document.notOoxml': { name: 'text', ext: 'text' },
  'document.tooLarge': { name: 'text', sizeBytes: 'disk', maxBytes: 'disk' },
  'document.empty': { name: 'text' },
  'document.noText': { name: 'text' },
  'document.timeout': { name: 'text', seconds: 'count' },
  'document.unreadable': { name: 'text' },
  'document.encrypted': { name: 'text' },
  'document.tooManyPages': { name: 'text', max: 'count' },
  'document.tooMuchText': { name: 'text', max: 'count' },
  'document.noTextLayer': { name: 'text' },
  'document.notFound': { id: 'text' },
  'error.noConversation': { id: 'text' },

  // ---- Backups (main/ops/backup): one per refusal, and the few that need their figures.
  'backup.corrupt': {},
  'backup.truncated': {},
  'backup.foreign': {},
  'backup.newerSchema': {},
  'backup.diskFull': {},
  'backup.diskNeeds': { needBytes: 'disk', freeBytes: 'disk', dir: 'text' },
  'backup.busy': {},
  'backup.replyInProgress': {},
  'backup.inUse': {},
  'backup.notFound': {},
  'backup.failed': { error: 'text' },
  'backup.readBack': {},
  'backup.sourceCorrupt': {},
  // The checks a verified backup passed, one line each (the Backups card after Verify).
  'verify.manifest': { sessions: 'count', messages: 'count', schema: 'count', app: 'text' },
  'verify.checksum': { digest: 'text' },
  'verify.sealOk': {},
  'verify.sealNone': {},
  'verify.integrity': {},
  'verify.schema': { version: 'count' },
  'verify.counts': {},

  // ---- Model providers other than Ollama (main/providers): `error` is the server's own words.
  'error.providerUnreachable': { provider: 'provider', url: 'text', error: 'text' },
  'error.providerKeyRefused': { provider: 'provider', url: 'text', status: 'count', error: 'text' },
  'error.providerNoModel': { provider: 'provider', url: 'text', model: 'text', error: 'text' },
  'error.providerRateLimited': { provider: 'provider', url: 'text', error: 'text' },
  'error.providerNoTools': { provider: 'provider', url: 'text', error: 'text' },
  'error.providerFailed': { provider: 'provider', url: 'text', status: 'count', error: 'text' },

  // ---- Recovery of a damaged chat history, my location, settings, upkeep, the contract's own checks.
  'error.backupNotRestorable': { reason: 'text' },
  'error.backupNotListed': { name: 'text' },
  'error.restoreFailed': { error: 'text' },
  'error.salvageFailed': { error: 'text' },
  'error.nothingToRecover': {},
  'error.recoveryBusy': {},
  'error.placeNotFound': { place: 'text' },
  'error.badCoordinates': {},
  'error.notAUrl': { name: 'text' },
  'error.urlNotHttp': { name: 'text' },
  'error.keyHasSpaces': {},
  'error.sourceFieldLocked': { variable: 'text' },
  'error.hostScheme': { scheme: 'text' },
  'error.hostPort': { port: 'text' },
  'error.hostName': { host: 'text' },
  'error.badOllamaHost': { error: 'text' },
  'error.noKeyring': {},
  'error.exportFolderNotFull': {},
  'error.cleanupDays': {},
  'error.compactWhileReplying': {},
  'error.unknownCall': { name: 'text' },
  'error.invalidInput': { call: 'text', issues: 'text' },

  // ---- The original server's chat history (the wizard's import), uploads, providers.
  'error.legacyNoFile': { file: 'text' },
  'error.legacyNotSqlite': { file: 'text', error: 'text' },
  'error.legacyNoTables': { file: 'text' },
  'error.uploadLegacyUsePost': {},
  'error.uploadNoName': {},
  'error.unknownProvider': { provider: 'text' },
  'error.noProvider': {},
  'error.providerListsNoModels': { provider: 'text' },
  // Why a provider cannot be asked now (health, and the reason a reply fell back to the next provider).
  'provider.notConfigured': { provider: 'text' },
  'provider.cloudNotAllowed': { provider: 'text' },
  'provider.offline': { provider: 'text' },
  // "Test connection" before saving (the wizard): what was typed cannot be tried.
  'provider.noAddress': {},
  'provider.notAUrl': { url: 'text' },
  'provider.testOffline': {},

  // ---- Rows of a sensor file left out, with why (main/imports: the import report's list).
  'importRow.frequency': { value: 'text' },
  'importRow.noPm': {},
  'importRow.parameterNotImported': { parameter: 'text' },
  'importRow.unitNotUgm3': { unit: 'text' },
  'importRow.noValue': {},
  'importRow.noSite': {},
  'importRow.missingTimestamp': {},
  'importRow.unreadableTimestamp': { value: 'text' },
  'importRow.impossibleDate': { value: 'text' },
  'importRow.notANumber': { column: 'text', value: 'text' },
  'importRow.negative': { column: 'text', value: 'text' },
  'importRow.beyondRange': { column: 'text', value: 'text' },
  'importRow.shortRow': { fields: 'count', expected: 'count' },
  'importRow.unterminatedQuote': {},

  // ---- Rows of the original server's history left out (main/store/legacy-import.ts), by why.
  'legacy.sessionIdUnusable': {},
  'legacy.sessionAlreadyImported': {},
  'legacy.messageRole': { role: 'text' },
  'legacy.messageAlreadyImported': {},
  'legacy.messageNoSession': {},

  // ---- Why the chat history is damaged (recovery mode), by the kind of damage found.
  'recovery.zeroLength': {},
  'recovery.missing': {},
  'recovery.badHeader': {},
  'recovery.corrupt': {},
  'recovery.unopenable': {},

  // ---- The Ollama engine's state (main/ollama/ollama-supervisor.ts): the Models page, the wizard, health.
  'ollama.usingLocal': { host: 'text' },
  'ollama.usingServer': { host: 'text' },
  'ollama.serverNotAnswering': { host: 'text', detail: 'text' },
  'ollama.portTaken': { port: 'text', detail: 'text', newPort: 'text' },
  'ollama.notInstalled': { host: 'text' },
  'ollama.couldNotStart': { binary: 'text', error: 'text' },
  'ollama.gaveUp': { how: 'text', count: 'count', logFile: 'text' },
  'ollama.restarting': { how: 'text', seconds: 'text', attempt: 'count', attempts: 'count' },
  'ollama.tookOver': { host: 'text' },
  'ollama.answeringAgain': { host: 'text' },
  'ollama.stoppedAnswering': { host: 'text', detail: 'text' },
} as const satisfies Record<string, Kinds>;

export type EngineMessageId = keyof typeof ENGINE_MESSAGES;

type ValueOf<K extends EngineParamKind> = K extends 'text' | 'provider' ? string : number;

/** The parameters of one message, by its catalog entry: a missing, extra or mistyped one does not compile. */
type EngineMessageParams<I extends EngineMessageId> = [keyof (typeof ENGINE_MESSAGES)[I]] extends [never]
  ? Record<string, never>
  : {
      -readonly [P in keyof (typeof ENGINE_MESSAGES)[I]]: (typeof ENGINE_MESSAGES)[I][P] extends EngineParamKind
        ? ValueOf<(typeof ENGINE_MESSAGES)[I][P]>
        : never;
    };

/** One sentence as an id and its parameters, checked together. */
export type EngineText = { [I in EngineMessageId]: { id: I; params: EngineMessageParams<I> } }[EngineMessageId];

/**
 * How an engine sentence travels (JSON). The engine checks what it reads back with ENGINE_TEXT_DTO
 * (engine-text-dto.ts); the UI checks the shape and the catalog before use (renderer/src/i18n/engine-text.ts).
 * No zod here: the UI imports this catalog into its first screen, and zod would more than double its script.
 */
export type EngineTextDto = { id: string; params: Record<string, string | number> };

export function engineMessage<I extends EngineMessageId>(id: I, params: EngineMessageParams<I>): EngineText {
  return { id, params } as EngineText;
}

export function isEngineMessageId(id: string): id is EngineMessageId {
  return Object.prototype.hasOwnProperty.call(ENGINE_MESSAGES, id);
}
