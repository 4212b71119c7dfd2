import Database from 'better-sqlite3';
import type { Identifier } from '../identity/identifiers.js';
import { DedupeIndex, dedupeHash } from './dedupe-index.js';
import { ActivationTable } from './activation-table.js';
import { DefinitionsTable } from './definitions-table.js';
import { EngineTable } from './engine-table.js';
import { IdentityGraph, type GraphOptions } from './identity-graph.js';
import { ProfileAdmin } from './profile-admin.js';
import { ProfileQueries } from './profile-queries.js';
import { filters, Statements } from './sql.js';
import { migrate } from './sqlite-schema.js';
import {
  OUTCOME,
  type ErasureReport,
  type EventRow,
  type ProfileHistory,
  type ProfileRecord,
  type Suppression,
  type TimelineCursor,
  type UnlinkResult,
  type DefinitionKind,
  type EngineUpdate,
  type EventStore,
  type RowBatch,
  type CommitResult,
  type EventQuery,
  type Outcome,
  type RejectionQuery,
  type StoredEvent,
  type StoredRejection,
} from './types.js';

/** Options of the embedded store. */
export interface SqliteOptions {
  /** Path of the database file. */
  file: string;
  sync: 'full' | 'normal';
  /** Rejections kept for inspection; older ones are dropped. */
  maxRejections: number;
  /** Identity resolution; null stores events without profiles. */
  identity: GraphOptions | null;
}

interface Identity {
  graph: IdentityGraph;
  queries: ProfileQueries;
  admin: ProfileAdmin;
}

/** The synchronous twin of {@link EventStore}, which the worker exposes asynchronously. */
export type SyncStore = {
  [K in Exclude<keyof EventStore, 'commit' | 'broken'>]: (
    ...args: Parameters<EventStore[K]>
  ) => Awaited<ReturnType<EventStore[K]>>;
} & { commit(batch: RowBatch): CommitResult };

/** Rows removed per call of {@link SqliteCore.pruneDedupe}; bounds how long one call holds the writer. */
export const PRUNE_CHUNK = 5000;

/**
 * The synchronous SQLite engine behind {@link EventStore}. It runs inside the store's worker
 * thread, so its blocking calls (and fsyncs) never stall the collector's event loop.
 */
export class SqliteCore implements SyncStore {
  private readonly _db: Database.Database;
  private readonly _sql: Statements;
  private readonly _identity: Identity | null = null;
  private readonly _commit: (batch: RowBatch) => CommitResult;
  private _index: DedupeIndex;
  /** Latest `seen_at` written: kept non-decreasing so that expiry is a prefix of the log. */
  private _lastSeen = 0;
  private _prunedSinceRebuild = 0;
  private readonly _definitions: DefinitionsTable;
  private readonly _engine: EngineTable;
  private readonly _activation: ActivationTable;

  constructor(private readonly _options: SqliteOptions) {
    this._db = new Database(_options.file);
    this._db.pragma('journal_mode = WAL');
    this._db.pragma(`synchronous = ${_options.sync === 'full' ? 'FULL' : 'NORMAL'}`);
    this._db.pragma('busy_timeout = 5000');
    this._db.pragma('cache_size = -65536');
    this._sql = new Statements(this._db);
    migrate(this._db);
    this._definitions = new DefinitionsTable(this._db);
    this._engine = new EngineTable(this._db);
    this._activation = new ActivationTable(this._db);
    // IMMEDIATE: a commit reads (dedupe, identity) before it writes, and a deferred transaction
    // that must upgrade from reader to writer gets SQLITE_BUSY at once instead of waiting.
    const write = this._db.transaction((batch: RowBatch) => this._write(batch));
    this._commit = (batch) => write.immediate(batch);
    if (_options.identity) {
      const graph = new IdentityGraph(this._sql, _options.identity);
      const queries = new ProfileQueries(this._sql, graph);
      this._identity = { graph, queries, admin: new ProfileAdmin(this._sql, graph, queries) };
    }
    this._index = this._loadIndex();
    const last = this._stmt('SELECT max(seen_at) AS seen FROM dedupe_log').get() as {
      seen: number | null;
    };
    this._lastSeen = last.seen ?? 0;
  }

  /**
   * Writes a batch in one transaction. If it rolls back, the keys it added to the in-memory
   * index stay behind; they are harmless, since every hit is checked against the stored rows.
   */
  commit(batch: RowBatch): CommitResult {
    const result = this._undoingIdentityOnFailure(() => this._commit(batch));
    if (this._identity) result.identity = this._identity.graph.takeReport();
    return result;
  }

  getProfile(ref: Identifier): ProfileRecord | null {
    return this._identity?.queries.profile(ref) ?? null;
  }

  profileEvents(ref: Identifier, before: TimelineCursor | undefined, limit: number) {
    return this._identity?.queries.timeline(ref, before, limit) ?? null;
  }

  profileHistory(ref: Identifier): ProfileHistory | null {
    return this._identity?.queries.history(ref) ?? null;
  }

  eraseProfile(ref: Identifier): ErasureReport | null {
    const identity = this._identity;
    if (!identity) return null;
    return this._undoingIdentityOnFailure(() =>
      this._db.transaction(() => identity.admin.erase(ref, Date.now())).immediate(),
    );
  }

  unlinkIdentifier(ref: Identifier, target: Identifier): UnlinkResult {
    const identity = this._identity;
    if (!identity) return { ok: false, reason: 'unknown_profile' };
    return this._undoingIdentityOnFailure(() =>
      this._db.transaction(() => identity.admin.unlink(ref, target, Date.now())).immediate(),
    );
  }

  /**
   * Runs a transaction that may change the identity graph. If it rolls back, the in-memory
   * state it touched (caches, the suppression set, the commit's report) is dropped and re-read.
   */
  private _undoingIdentityOnFailure<T>(transaction: () => T): T {
    try {
      return transaction();
    } catch (error) {
      this._identity?.graph.clearCaches();
      this._identity?.graph.takeReport();
      this._identity?.admin.reloadSuppressions();
      throw error;
    }
  }

  listSuppressions(): Suppression[] {
    return this._identity?.admin.listSuppressions() ?? [];
  }

  liftSuppression(ref: Identifier): boolean {
    return this._identity?.admin.lift(ref) ?? false;
  }

  // Tag and segment definitions (definitions-table.ts).
  listDefinitions = (kind?: DefinitionKind) => this._definitions.list(kind);
  getDefinition = (kind: DefinitionKind, key: string) => this._definitions.get(kind, key);
  definitionVersions = (kind: DefinitionKind, key: string) => this._definitions.versions(kind, key);
  putDefinition = (kind: DefinitionKind, key: string, body: string, at: number) =>
    this._definitions.put(kind, key, body, at);
  deleteDefinition = (kind: DefinitionKind, key: string, at: number) =>
    this._definitions.delete(kind, key, at);

  // The engine's rows (engine-table.ts).
  engineLoad = (ids: number[]) => this._engine.load(ids);
  engineSave = (updates: EngineUpdate[]) => this._engine.save(updates);
  engineDue = (now: number, limit: number) => this._engine.due(now, limit);
  segmentMembers = (segment: string, after: number, limit: number) =>
    this._engine.members(segment, after, limit);
  segmentSize = (segment: string) => this._engine.size(segment);
  engineChanges = (profileId: number, limit: number) => this._engine.changes(profileId, limit);
  profileIds = (after: number, limit: number) => this._engine.profileIds(after, limit);
  engineHistory = (ids: number[]) => this._engine.history(ids);

  // Activation (activation-table.ts).
  readChanges = (after: number, limit: number) => this._activation.changes(after, limit);
  deliveredSince = (destination: string, ids: number[], since: number) =>
    this._activation.deliveredSince(destination, ids, since);
  recordActivation = (destination: string, outcomes: Parameters<ActivationTable['record']>[1]) =>
    this._activation.record(destination, outcomes);
  activationCounts = (destination: string) => this._activation.counts(destination);
  lastChange = () => this._activation.lastChange();

  listEvents(query: EventQuery): StoredEvent[] {
    const [clause, params] = filters({
      'seq <': query.before,
      'type =': query.type,
      'name =': query.name,
      'source =': query.source,
    });
    const sql = `SELECT seq, source, received_at AS receivedAt, payload FROM events ${clause} ORDER BY seq DESC LIMIT ?`;
    return this._stmt(sql).all(...params, query.limit) as StoredEvent[];
  }

  listRejections(query: RejectionQuery): StoredRejection[] {
    const [clause, params] = filters({ 'id <': query.before, 'source =': query.source });
    const sql =
      'SELECT id, source, received_at AS receivedAt, message_id AS messageId, errors, payload ' +
      `FROM rejections ${clause} ORDER BY id DESC LIMIT ?`;
    return this._stmt(sql).all(...params, query.limit) as StoredRejection[];
  }

  readOutbox(after: number, limit: number): StoredEvent[] {
    // The profile as of now: a sink that lags behind a merge gets the merged profile.
    const sql =
      'SELECT e.seq, e.source, e.received_at AS receivedAt, e.payload, i.profile_id AS profileId ' +
      'FROM events e LEFT JOIN identifiers i ON i.id = e.identifier_id WHERE e.seq > ? ORDER BY e.seq LIMIT ?';
    return this._stmt(sql).all(after, limit) as StoredEvent[];
  }

  getCursor(sink: string): number {
    const row = this._stmt('SELECT seq FROM sink_cursors WHERE sink = ?').get(sink) as
      { seq: number } | undefined;
    return row?.seq ?? 0;
  }

  setCursor(sink: string, seq: number): void {
    this._stmt(
      'INSERT INTO sink_cursors (sink, seq) VALUES (?, ?) ON CONFLICT (sink) DO UPDATE SET seq = max(seq, excluded.seq)',
    ).run(sink, seq);
  }

  lastSeq(): number {
    const row = this._stmt('SELECT max(seq) AS seq FROM events').get() as { seq: number | null };
    return row.seq ?? 0;
  }

  /**
   * Forgets up to {@link PRUNE_CHUNK} of the oldest dedupe keys first seen before `before`.
   * `seen_at` never decreases along the log, so the expired keys are a prefix of it: a range
   * delete. The in-memory index is rebuilt once a call finds nothing more to delete; until then
   * its stale entries only cost a lookup that finds no log row.
   */
  pruneDedupe(before: number): number {
    const edge = this._stmt(
      `SELECT max(seq) AS seq FROM (SELECT seq, seen_at FROM dedupe_log ORDER BY seq LIMIT ${PRUNE_CHUNK}) WHERE seen_at < ?`,
    ).get(before) as { seq: number | null };
    const deleted =
      edge.seq === null
        ? 0
        : this._stmt('DELETE FROM dedupe_log WHERE seq <= ? AND seen_at < ?').run(edge.seq, before)
            .changes;
    if (deleted < PRUNE_CHUNK) {
      const oldest = this._stmt('SELECT min(seq) AS seq FROM dedupe_log').get() as {
        seq: number | null;
      };
      this._index.prune(oldest.seq ?? Number.MAX_SAFE_INTEGER);
    }
    return deleted;
  }

  close(): void {
    this._db.close();
  }

  private _write(batch: RowBatch): CommitResult {
    const insert = this._stmt(
      'INSERT INTO events (source, message_id, type, name, anonymous_id, user_id, timestamp, received_at, payload, identifier_id, channel) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS TEXT), ?, ?)',
    );
    const log = this._stmt(
      'INSERT INTO dedupe_log (seq, seen_at, hash, fingerprint) VALUES (?, ?, ?, ?)',
    );
    const outcomes: Outcome[] = [];
    for (const row of batch.rows) {
      const hash = dedupeHash(row.source, row.messageId);
      const known = this._find(hash, row.source, row.messageId);
      if (known !== undefined) {
        outcomes.push(known === row.fingerprint ? OUTCOME.duplicate : OUTCOME.conflict);
        continue;
      }
      const identifierId = this._resolve(row);
      if (identifierId === false) {
        outcomes.push(OUTCOME.suppressed);
        continue;
      }
      const { lastInsertRowid } = insert.run(
        row.source,
        row.messageId,
        row.type,
        row.name,
        row.anonymousId,
        row.userId,
        row.timestamp,
        row.receivedAt,
        row.payload,
        identifierId,
        row.channel,
      );
      this._lastSeen = Math.max(this._lastSeen, row.receivedAt);
      log.run(lastInsertRowid, this._lastSeen, hash, row.fingerprint);
      this._index.add(hash, Number(lastInsertRowid));
      outcomes.push(OUTCOME.stored);
    }
    if (batch.rejections.length > 0) {
      const reject = this._stmt(
        'INSERT INTO rejections (source, received_at, message_id, errors, payload) VALUES (?, ?, ?, ?, ?)',
      );
      for (const r of batch.rejections)
        reject.run(r.source, r.receivedAt, r.messageId, r.errors, r.payload);
      this._stmt('DELETE FROM rejections WHERE id <= (SELECT max(id) FROM rejections) - ?').run(
        this._options.maxRejections,
      );
    }
    return { outcomes, lastSeq: this.lastSeq() };
  }

  /** The event's primary identifier id; null without identity; false if it is suppressed. */
  private _resolve(row: EventRow): number | null | false {
    if (!this._identity || row.identifiers === null) return null;
    const identifiers = (JSON.parse(row.identifiers) as [string, string][]).map(
      ([type, value]): Identifier => ({ type, value }),
    );
    if (this._identity.admin.isSuppressed(identifiers)) {
      this._identity.graph.countSuppressed();
      return false;
    }
    return this._identity.graph.resolve(row, identifiers);
  }

  /** The fingerprint of the event in the window stored under (source, messageId), if any. */
  private _find(hash: number, source: string, messageId: string): string | undefined {
    const candidates = this._index.candidates(hash);
    if (candidates.length === 0) return undefined;
    const read = this._stmt(
      'SELECT e.source, e.message_id AS messageId, d.fingerprint FROM dedupe_log d JOIN events e ON e.seq = d.seq WHERE d.seq = ?',
    );
    for (const seq of candidates) {
      const hit = read.get(seq) as
        { source: string; messageId: string; fingerprint: string } | undefined;
      if (hit?.source === source && hit.messageId === messageId) return hit.fingerprint;
    }
    return undefined;
  }

  private _loadIndex(): DedupeIndex {
    const count = this._stmt('SELECT count(*) AS n FROM dedupe_log').get() as { n: number };
    const index = new DedupeIndex(count.n);
    const rows = this._db.prepare('SELECT hash, seq FROM dedupe_log').raw().iterate() as Iterable<
      [number, number]
    >;
    for (const [hash, seq] of rows) index.add(hash, seq);
    return index;
  }

  private _stmt(sql: string): Database.Statement {
    return this._sql.get(sql);
  }
}
