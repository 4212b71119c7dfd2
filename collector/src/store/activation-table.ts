import type Database from 'better-sqlite3';
import type { ActivationCount, ActivationOutcome, EngineChange } from './types.js';

/**
 * What destinations were sent: a log of deliveries per profile (frequency caps count it) and
 * counts per destination, segment or tag, and outcome. The engine's changes are their outbox,
 * read in id order.
 */
export class ActivationTable {
  constructor(private readonly _db: Database.Database) {}

  /** Engine changes with `id > after`, oldest first. */
  changes(after: number, limit: number): (EngineChange & { seq: number; profileId: number })[] {
    return this._db
      .prepare(
        'SELECT id AS seq, profile_id AS profileId, at, kind, key, detail FROM engine_changes ' +
          'WHERE id > ? ORDER BY id LIMIT ?',
      )
      .all(after, limit) as (EngineChange & { seq: number; profileId: number })[];
  }

  /** The newest change's id (0 when none): where a new destination starts. */
  lastChange(): number {
    const row = this._db.prepare('SELECT max(id) AS id FROM engine_changes').get() as {
      id: number | null;
    };
    return row.id ?? 0;
  }

  /** Deliveries to `destination` since `since`, per profile. */
  deliveredSince(destination: string, profileIds: number[], since: number): Map<number, number> {
    const counts = new Map<number, number>();
    if (profileIds.length === 0) return counts;
    const marks = profileIds.map(() => '?').join(',');
    const rows = this._db
      .prepare(
        'SELECT profile_id AS id, count(*) AS n FROM activation_log ' +
          `WHERE destination = ? AND at >= ? AND profile_id IN (${marks}) GROUP BY profile_id`,
      )
      .all(destination, since, ...profileIds) as { id: number; n: number }[];
    for (const row of rows) counts.set(row.id, row.n);
    return counts;
  }

  /** Records a batch's outcomes (and its deliveries, for caps) in one transaction. */
  record(
    destination: string,
    outcomes: { profileId: number; key: string; outcome: ActivationOutcome; at: number }[],
  ): void {
    const log = this._db.prepare(
      'INSERT INTO activation_log (destination, profile_id, at) VALUES (?, ?, ?)',
    );
    const count = this._db.prepare(
      'INSERT INTO activation_counts (destination, key, outcome, n) VALUES (?, ?, ?, 1) ' +
        'ON CONFLICT (destination, key, outcome) DO UPDATE SET n = n + 1',
    );
    this._db.transaction(() => {
      for (const o of outcomes) {
        if (o.outcome === 'delivered') log.run(destination, o.profileId, o.at);
        count.run(destination, o.key, o.outcome);
      }
    })();
  }

  counts(destination: string): ActivationCount[] {
    return this._db
      .prepare('SELECT key, outcome, n FROM activation_counts WHERE destination = ? ORDER BY key')
      .all(destination) as ActivationCount[];
  }
}
