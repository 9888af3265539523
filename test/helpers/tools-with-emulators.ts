import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Clock } from '../../main/core/clock';
import type { Store } from '../../main/store/store';
import { AirQualityService } from '../../main/airquality/air-quality-service';
import { Gazetteer } from '../../main/airquality/gazetteer/gazetteer';
import { createAirQualityTools, type ToolRegistry } from '../../main/agent/tools';
import { currentView, perTest } from './per-test';
import { tempStore } from './store-in-temp-dir';

/** What the tool tests need of a loopback source emulator (WAQI, AirQo, Open-Meteo, UK-AIR, …). */
interface SourceEmulator {
  start(): Promise<unknown>;
  close(): Promise<void>;
  /** Scripted failures: emptied before each test, so one test's fault does not reach the next. */
  readonly faults?: { clear(): void };
  /** The requests it was sent: emptied before each test. */
  readonly requests?: unknown[];
}

/** One test's air-quality tools, on its own store in its own temp dir. */
interface ToolsBench {
  readonly store: Store;
  readonly service: AirQualityService;
  readonly tools: ToolRegistry;
}

interface ToolsWithEmulatorsOptions {
  clock: Clock;
  emulators: readonly SourceEmulator[];
  /** The service's env: the emulators' addresses (read once they listen) and their tokens. */
  env: () => NodeJS.ProcessEnv;
  /** The registry under test; `createAirQualityTools(service)` when not given. */
  tools?: (service: AirQualityService) => ToolRegistry;
}

/**
 * The air-quality tools against real loopback emulators, for one test file: registers the hooks that start
 * the emulators once (and close them after the file), and that give each test a fresh temp dir, store,
 * AirQualityService (no retries, so a scripted fault is seen once) and registry. Read the bench inside tests.
 */
export function toolsWithEmulators(opts: ToolsWithEmulatorsOptions): ToolsBench {
  // Loading the gazetteer is the slow part: once a file.
  const gazetteer = new Gazetteer();
  beforeAll(async () => {
    await Promise.all(opts.emulators.map((e) => e.start()));
  });
  afterAll(async () => {
    await Promise.all(opts.emulators.map((e) => e.close()));
  });
  beforeEach(() => {
    for (const e of opts.emulators) {
      e.faults?.clear();
      if (e.requests) e.requests.length = 0;
    }
  });
  const now = perTest(() => {
    const { store, cleanup } = tempStore(opts.clock, 'aq.db');
    const service = new AirQualityService({ db: store.db, clock: opts.clock, gazetteer, retries: 0, env: opts.env() });
    const tools = (opts.tools ?? createAirQualityTools)(service);
    return { store, service, tools, cleanup };
  }, 'toolsWithEmulators');

  return currentView(now, ['store', 'service', 'tools']);
}
