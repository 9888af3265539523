import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from '../../store/migrations';
import type { Db } from '../../store/database';

/** What a schema is made of, for comparison: every table, index, trigger and view, and each table's columns. */
type Shape = Map<string, string>;

function shapeOf(db: Db): Shape {
  const shape: Shape = new Map();
  const objects = db
    .prepare(`SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name`)
    .all() as { type: string; name: string }[];
  for (const o of objects) {
    let detail = o.type;
    if (o.type === 'table') {
      const cols = db.prepare(`SELECT name FROM pragma_table_info(?)`).all(o.name) as { name: string }[];
      detail += `(${cols.map((c) => c.name).join(',')})`;
    }
    shape.set(o.name, detail);
  }
  return shape;
}

const references = new Map<number, Shape>();

/** The schema this app creates at `version`, built by running its own migrations on an in-memory database. */
function referenceShape(version: number): Shape {
  let shape = references.get(version);
  if (!shape) {
    const db = new Database(':memory:');
    try {
      for (let v = 0; v < version; v++) MIGRATIONS[v]!(db);
      shape = shapeOf(db);
    } finally {
      db.close();
    }
    references.set(version, shape);
  }
  return shape;
}

type SchemaVerdict =
  { ok: true; version: number } | { ok: false; reason: 'foreign' | 'newer_schema'; version: number; message: string };

/** Is `db` an AERIS-AQ store this app can open (same schema, or an older one it can migrate)? */
export function checkSchema(db: Db): SchemaVerdict {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    return {
      ok: false,
      reason: 'newer_schema',
      version,
      message: `The backup’s database is schema version ${version}, newer than this app understands (${SCHEMA_VERSION}). Update AERIS-AQ to restore it.`,
    };
  }
  if (version < 1) {
    return {
      ok: false,
      reason: 'foreign',
      version,
      message: 'The backup’s database is not an AERIS-AQ store (no schema version).',
    };
  }
  const expected = referenceShape(version);
  const actual = shapeOf(db);
  const problems: string[] = [];
  for (const [name, detail] of expected) {
    const got = actual.get(name);
    if (got === undefined) problems.push(`missing ${detail.split('(')[0]} ${name}`);
    else if (got !== detail) problems.push(`${name} differs`);
  }
  for (const name of actual.keys()) if (!expected.has(name)) problems.push(`unexpected ${name}`);
  if (problems.length > 0) {
    return {
      ok: false,
      reason: 'foreign',
      version,
      message: `The backup’s database does not have the AERIS-AQ schema (${problems.slice(0, 4).join('; ')}).`,
    };
  }
  return { ok: true, version };
}
