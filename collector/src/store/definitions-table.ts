import type Database from 'better-sqlite3';
import type { DefinitionKind, DefinitionRecord } from './types.js';

interface Row {
  kind: DefinitionKind;
  key: string;
  version: number;
  body: string | null;
  created_at: number;
}

const LATEST =
  'SELECT d.kind, d.key, d.version, d.body, d.created_at FROM definitions d ' +
  'WHERE d.version = (SELECT max(version) FROM definitions WHERE kind = d.kind AND key = d.key)';

/**
 * Tag and segment definitions, versioned: a change adds a version, a deletion adds one whose
 * body is NULL, nothing is overwritten. Writing the body already current adds nothing.
 */
export class DefinitionsTable {
  constructor(private readonly _db: Database.Database) {}

  /** The current definitions (of one kind), deleted ones left out. */
  list(kind?: DefinitionKind): DefinitionRecord[] {
    const rows = (
      kind
        ? this._db.prepare(`${LATEST} AND d.kind = ? ORDER BY d.key`).all(kind)
        : this._db.prepare(`${LATEST} ORDER BY d.kind, d.key`).all()
    ) as Row[];
    return rows.filter((r) => r.body !== null).map(record);
  }

  /** The current definition, or null if there is none (or it was deleted). */
  get(kind: DefinitionKind, key: string): DefinitionRecord | null {
    const row = this._latest(kind, key);
    return row && row.body !== null ? record(row) : null;
  }

  /** Every version, newest first, deletions included (body null). */
  versions(kind: DefinitionKind, key: string): DefinitionRecord[] {
    const rows = this._db
      .prepare('SELECT * FROM definitions WHERE kind = ? AND key = ? ORDER BY version DESC')
      .all(kind, key) as Row[];
    return rows.map(record);
  }

  /** Stores `body` (JSON text) as the next version, unless it is the current one already. */
  put(kind: DefinitionKind, key: string, body: string, at: number): DefinitionRecord {
    return this._db
      .transaction(() => {
        const latest = this._latest(kind, key);
        if (latest && latest.body === body) return { ...record(latest), changed: false };
        const version = (latest?.version ?? 0) + 1;
        this._insert(kind, key, version, body, at);
        return { kind, key, version, body, createdAt: at, changed: true };
      })
      .immediate();
  }

  /** Adds a deletion; false if there was nothing to delete. */
  delete(kind: DefinitionKind, key: string, at: number): boolean {
    return this._db
      .transaction(() => {
        const latest = this._latest(kind, key);
        if (!latest || latest.body === null) return false;
        this._insert(kind, key, latest.version + 1, null, at);
        return true;
      })
      .immediate();
  }

  private _latest(kind: DefinitionKind, key: string): Row | undefined {
    return this._db
      .prepare('SELECT * FROM definitions WHERE kind = ? AND key = ? ORDER BY version DESC LIMIT 1')
      .get(kind, key) as Row | undefined;
  }

  private _insert(kind: string, key: string, version: number, body: string | null, at: number) {
    this._db
      .prepare(
        'INSERT INTO definitions (kind, key, version, body, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(kind, key, version, body, at);
  }
}

function record(row: Row): DefinitionRecord {
  return {
    kind: row.kind,
    key: row.key,
    version: row.version,
    body: row.body,
    createdAt: row.created_at,
  };
}
