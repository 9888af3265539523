import path from 'node:path';
import type { LegacyFoundDto } from '../../preload/contract';
import { openLegacyDatabase } from './legacy-import';

/** Where to look: the process's environment, working directory and home, passed in rather than read here. */
export interface LegacyPlaces {
  env: NodeJS.ProcessEnv;
  cwd: string;
  home: string;
}

/**
 * SQLAlchemy's SQLite URL as the original server reads `DATABASE_URL`: `sqlite:///rel/path` is relative to where
 * it runs, `sqlite:////abs/path` absolute; `sqlite://` alone is in memory. Other databases are not files here.
 */
function sqlitePath(url: string | undefined, cwd: string): string | null {
  const m = /^sqlite(?:\+\w+)?:\/\/\/([^?]+)/.exec(url?.trim() ?? '');
  if (!m) return null;
  return path.resolve(cwd, decodeURIComponent(m[1]!));
}

/** The places the original server keeps `aeris_agent.db`, in the order they are tried. */
export function legacyCandidates({ env, cwd, home }: LegacyPlaces): string[] {
  const list = [
    sqlitePath(env.DATABASE_URL, cwd),
    // The original's default, `sqlite:///./data/aeris_agent.db`, run from its own folder.
    path.join(cwd, 'data', 'aeris_agent.db'),
    path.join(cwd, 'aeris_agent.db'),
    path.join(home, 'AirQualityAgent', 'data', 'aeris_agent.db'),
  ];
  return [...new Set(list.filter((p): p is string => p !== null))];
}

/**
 * The first candidate that is the original server's database with something in it, and what it holds; null when
 * none is. A file that is missing, unreadable or not that database is passed over, never an error.
 */
export function findLegacyDatabase(places: LegacyPlaces): LegacyFoundDto | null {
  for (const file of legacyCandidates(places)) {
    try {
      const db = openLegacyDatabase(file);
      try {
        const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
        const sessions = count('chat_sessions');
        const messages = count('chat_messages');
        if (sessions > 0 || messages > 0) return { path: file, sessions, messages };
      } finally {
        db.close();
      }
    } catch {
      // Not this one: look at the next place.
    }
  }
  return null;
}
