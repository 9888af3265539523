import type { CliCommand } from '../cli-types';
import { aqiCommand } from './aqi-command';
import { backupCommand } from './backup-command';
import { chatCommand } from './chat-command';
import { doctorCommand } from './doctor-command';
import { healthCommand } from './health-command';
import { importCommand } from './import-command';
import { importLegacyCommand } from './import-legacy-command';
import { logsCommand } from './logs-command';
import { modelsCommand } from './models-command';
import { serveCommand } from './serve-command';
import { storeCommand } from './store-command';

/** Every `aeris` command, in the order `aeris --help` lists them. Add new commands here. */
export const COMMANDS: CliCommand[] = [
  serveCommand,
  healthCommand,
  chatCommand,
  aqiCommand,
  importCommand,
  importLegacyCommand,
  doctorCommand,
  modelsCommand,
  logsCommand,
  backupCommand,
  storeCommand,
];
