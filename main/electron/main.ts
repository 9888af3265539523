/**
 * The Electron shell: one window, hardened, talking to the same engine as serve mode and the CLI.
 * This folder is the only place under main/ that imports `electron`.
 */
import path from 'node:path';
import fs from 'node:fs';
import { app, BrowserWindow, dialog, session } from 'electron';
import { acquireDataDirLock, type DataDirLock } from '../core/data-dir-lock';
import { shellEnvironment } from '../core/seed-env-aliases';
import { createEngine, type Engine } from '../engine';
import { hardenSession, hardenWebContents } from './security';
import { registerIpc } from './ipc';
import { SafeStorageSecretStore } from './safe-storage-secret-store';

const rendererIndex = path.join(__dirname, '..', 'renderer', 'index.html');
const preload = path.join(__dirname, '..', 'preload', 'index.cjs');

let engine: Engine | null = null;
let dataDirLock: DataDirLock | null = null;
let win: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) app.quit();

app.on('second-instance', () => {
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

app.on('web-contents-created', (_e, contents) => hardenWebContents(contents, rendererIndex));

async function start(): Promise<void> {
  await app.whenReady();
  hardenSession(session.defaultSession);
  // The original server's configuration names (OLLAMA_BASE_URL, AI_MODEL, WAQI_API_KEY…) count here as in serve.
  const { env, note: configNote } = shellEnvironment(process.env);
  const dataDir = env.AERIS_DATA_DIR || app.getPath('userData');
  // One owner per data dir: an `aeris serve` on the same folder would run the same schedulers.
  fs.mkdirSync(dataDir, { recursive: true });
  const takeovers: string[] = [];
  try {
    dataDirLock = acquireDataDirLock(dataDir, {
      shell: 'electron',
      log: (m, f) => takeovers.push(`${m} (PID ${typeof f.pid === 'number' ? f.pid : '?'})`),
    });
  } catch (err) {
    dialog.showErrorBox('AERIS-AQ cannot start', err instanceof Error ? err.message : String(err));
    app.exit(1);
    return;
  }
  engine = createEngine({
    dataDir,
    ollamaHost: env.AERIS_OLLAMA_HOST,
    env,
    resourcesPath: process.resourcesPath,
    secretStore: new SafeStorageSecretStore(path.join(dataDir, 'secrets.enc')),
  });
  for (const t of takeovers) engine.logger.log('warn', 'app', t);
  if (configNote) engine.logger.log('info', 'config', configNote);
  engine.startBackgroundTasks();
  void engine.supervisor.start();
  win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 760,
    minHeight: 520,
    title: 'AERIS-AQ',
    show: false,
    backgroundColor: '#0f141a',
    // Electron's checklist, written out here so reviewers and electronegativity see it at the window.
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // Middle-click must not open links in new windows.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  registerIpc(engine, rendererIndex, () => win?.webContents ?? null);
  win.once('ready-to-show', () => win?.show());
  win.on('closed', () => (win = null));
  await win.loadFile(rendererIndex);
}

app.on('window-all-closed', () => app.quit());
app.on('before-quit', (event) => {
  if (!engine) return;
  // Let streaming replies record `stopped` and the store close cleanly before exit.
  event.preventDefault();
  const e = engine;
  engine = null;
  void e.close().finally(() => {
    dataDirLock?.release();
    app.exit(0);
  });
});

void start();
