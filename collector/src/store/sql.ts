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
    return this._chunks(ids, make).flatMap(([statement, chunk]) => statement.all(...chunk) as T[]);
  }

  /** Runs a write over `ids` in chunks like {@link chunked}; returns the rows changed. */
  chunkedRun(ids: readonly number[], make: (placeholders: string) => string): number {
    let changes = 0;
    for (const [statement, chunk] of this._chunks(ids, make))
      changes += statement.run(...chunk).changes;
    return changes;
  }

  private _chunks(
    ids: readonly number[],
    make: (placeholders: string) => string,
  ): [Database.Statement, number[]][] {
    const chunks: [Database.Statement, number[]][] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      chunks.push([this.db.prepare(make(chunk.map(() => '?').join(','))), chunk]);
    }
    return chunks;
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
