import type Database from 'better-sqlite3';

/** Prepared statements, compiled once per SQL text. */
export class Statements {
  private readonly _cache = new Map<string, Database.Statement>();

  constructor(readonly db: Database.Database) {}

  get(sql: string): Database.Statement {
    let statement = this._cache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this._cache.set(sql, statement);
    }
    return statement;
  }

  /** Runs `make(placeholders)` over `ids` in chunks under SQLite's variable limit. */
  chunked<T>(ids: readonly number[], make: (placeholders: string) => string): T[] {
    const out: T[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const sql = make(chunk.map(() => '?').join(','));
      out.push(...(this.db.prepare(sql).all(...chunk) as T[]));
    }
    return out;
  }
}

/** Builds a WHERE clause from `{ 'column op': value }`, skipping undefined values. */
export function filters(
  conditions: Record<string, string | number | undefined>,
): [string, (string | number)[]] {
  const present = Object.entries(conditions).filter(
    (c): c is [string, string | number] => c[1] !== undefined,
  );
  if (present.length === 0) return ['', []];
  return [`WHERE ${present.map(([c]) => `${c} ?`).join(' AND ')}`, present.map(([, v]) => v)];
}
