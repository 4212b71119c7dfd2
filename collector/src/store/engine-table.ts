import type Database from 'better-sqlite3';
import type {
  EngineChange,
  EngineProfile,
  EngineUpdate,
  SegmentMember,
  StoredEvent,
} from './types.js';

/**
 * The engine's rows: each profile's state and last results (JSON the engine owns), its segment
 * memberships (a table, so that members and sizes are queries), and the changes those results
 * went through. An update writes all of one batch in one transaction.
 */
export class EngineTable {
  private readonly _save: (updates: EngineUpdate[]) => void;

  constructor(private readonly _db: Database.Database) {
    const upsert = _db.prepare(
      'INSERT INTO engine_profiles (profile_id, state, results, next_at) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (profile_id) DO UPDATE SET state = excluded.state, results = excluded.results, next_at = excluded.next_at',
    );
    const enter = _db.prepare(
      'INSERT OR IGNORE INTO segment_members (segment, profile_id, since) VALUES (?, ?, ?)',
    );
    const exit = _db.prepare('DELETE FROM segment_members WHERE segment = ? AND profile_id = ?');
    const change = _db.prepare(
      'INSERT INTO engine_changes (profile_id, at, kind, key, detail) VALUES (?, ?, ?, ?, ?)',
    );
    this._save = _db.transaction((updates: EngineUpdate[]) => {
      for (const u of updates) {
        upsert.run(u.profileId, u.state, u.results, u.nextAt);
        for (const c of u.changes) {
          if (c.kind === 'segment_entered') enter.run(c.key, u.profileId, c.at);
          if (c.kind === 'segment_exited') exit.run(c.key, u.profileId);
          change.run(u.profileId, c.at, c.kind, c.key, c.detail);
        }
      }
    });
  }

  /** State, results and traits of the given profiles (those the engine has seen). */
  load(profileIds: number[]): EngineProfile[] {
    if (profileIds.length === 0) return [];
    const marks = profileIds.map(() => '?').join(',');
    return this._db
      .prepare(
        'SELECT p.id AS profileId, p.traits, e.state, e.results, ' +
          "p.merges || ':' || (SELECT count(*) FROM identifiers i WHERE i.profile_id = p.id) AS identity " +
          'FROM profiles p ' +
          `LEFT JOIN engine_profiles e ON e.profile_id = p.id WHERE p.id IN (${marks})`,
      )
      .all(...profileIds) as EngineProfile[];
  }

  save(updates: EngineUpdate[]): void {
    this._save(updates);
  }

  /** Profiles whose results time may have changed by `now`, soonest first. */
  due(now: number, limit: number): number[] {
    const rows = this._db
      .prepare(
        'SELECT profile_id AS id FROM engine_profiles WHERE next_at <= ? ORDER BY next_at LIMIT ?',
      )
      .all(now, limit) as { id: number }[];
    return rows.map((r) => r.id);
  }

  /** A page of a segment's members in profile order, after `after`. */
  members(segment: string, after: number, limit: number): SegmentMember[] {
    return this._db
      .prepare(
        'SELECT profile_id AS profileId, since FROM segment_members ' +
          'WHERE segment = ? AND profile_id > ? ORDER BY profile_id LIMIT ?',
      )
      .all(segment, after, limit) as SegmentMember[];
  }

  size(segment: string): number {
    const row = this._db
      .prepare('SELECT count(*) AS n FROM segment_members WHERE segment = ?')
      .get(segment) as { n: number };
    return row.n;
  }

  /** Profile IDs after `after`, in order: the backfill walks them in pages. */
  profileIds(after: number, limit: number): number[] {
    const rows = this._db
      .prepare('SELECT id FROM profiles WHERE id > ? ORDER BY id LIMIT ?')
      .all(after, limit) as { id: number }[];
    return rows.map((r) => r.id);
  }

  /** Every event of these profiles, by profile and then in time order: a backfill's input. */
  history(profileIds: number[]): StoredEvent[] {
    if (profileIds.length === 0) return [];
    const marks = profileIds.map(() => '?').join(',');
    return this._db
      .prepare(
        'SELECT e.seq, e.source, e.received_at AS receivedAt, e.payload, i.profile_id AS profileId ' +
          'FROM identifiers i JOIN events e ON e.identifier_id = i.id ' +
          `WHERE i.profile_id IN (${marks}) ORDER BY i.profile_id, e.timestamp, e.seq`,
      )
      .all(...profileIds) as StoredEvent[];
  }

  /** A profile's engine changes, newest first. */
  changes(profileId: number, limit: number): EngineChange[] {
    return this._db
      .prepare(
        'SELECT profile_id AS profileId, at, kind, key, detail FROM engine_changes ' +
          'WHERE profile_id = ? ORDER BY id DESC LIMIT ?',
      )
      .all(profileId, limit) as EngineChange[];
  }
}
