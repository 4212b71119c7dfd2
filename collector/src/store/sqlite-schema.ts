import type Database from 'better-sqlite3';

/**
 * Migrations, applied in order and tracked in `PRAGMA user_version`. Append; never edit one
 * that has shipped.
 *
 * Row layout is shaped by ingest cost: every table written on the hot path is appended in `seq`
 * order. There is deliberately no index on message ids (they are random, and such an index costs
 * a page rewrite per event under frequent commits): `dedupe_log` records each stored event's
 * dedupe hash, the store keeps the window's hashes in memory (dedupe-index.ts), and expiring
 * keys is a range delete on the oldest seqs.
 *
 * Migration 2 is the identity graph (docs/identity.md). Events point at their primary
 * identifier, never at a profile: merges and splits move identifiers between profiles, and the
 * events follow without being rewritten.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    message_id TEXT NOT NULL,
    type TEXT NOT NULL,
    name TEXT,
    anonymous_id TEXT,
    user_id TEXT,
    timestamp INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    payload TEXT NOT NULL
  );
  CREATE INDEX events_name ON events (name, seq) WHERE name IS NOT NULL;

  CREATE TABLE dedupe_log (
    seq INTEGER PRIMARY KEY,
    seen_at INTEGER NOT NULL,
    hash INTEGER NOT NULL,
    fingerprint TEXT NOT NULL
  );

  CREATE TABLE rejections (
    id INTEGER PRIMARY KEY,
    source TEXT,
    received_at INTEGER NOT NULL,
    message_id TEXT,
    errors TEXT NOT NULL,
    payload TEXT NOT NULL
  );

  CREATE TABLE sink_cursors (
    sink TEXT PRIMARY KEY,
    seq INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  `
  ALTER TABLE events ADD COLUMN identifier_id INTEGER;
  ALTER TABLE events ADD COLUMN channel TEXT;
  CREATE INDEX events_identifier ON events (identifier_id, timestamp, seq)
    WHERE identifier_id IS NOT NULL;

  CREATE TABLE profiles (
    id INTEGER PRIMARY KEY,
    created_at INTEGER NOT NULL,
    max_t REAL NOT NULL,
    max_m TEXT NOT NULL DEFAULT '',
    max_r INTEGER NOT NULL DEFAULT 0,
    merges INTEGER NOT NULL DEFAULT 0,
    traits TEXT NOT NULL DEFAULT '{}',
    channels TEXT NOT NULL DEFAULT '[]',
    purchased INTEGER NOT NULL DEFAULT 0
  );

  CREATE TABLE identifiers (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    value TEXT NOT NULL,
    profile_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX identifiers_value ON identifiers (type, value);
  CREATE INDEX identifiers_profile ON identifiers (profile_id);

  CREATE TABLE identity_links (
    a INTEGER NOT NULL,
    b INTEGER NOT NULL,
    t INTEGER NOT NULL,
    m TEXT NOT NULL,
    r INTEGER NOT NULL,
    source TEXT NOT NULL,
    rule TEXT NOT NULL,
    recorded_at INTEGER NOT NULL,
    unlinked_at INTEGER,
    PRIMARY KEY (a, b)
  ) WITHOUT ROWID;
  CREATE INDEX identity_links_b ON identity_links (b);

  CREATE TABLE profile_history (
    id INTEGER PRIMARY KEY,
    profile_id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL
  );
  CREATE INDEX profile_history_profile ON profile_history (profile_id, id);

  CREATE TABLE suppressions (
    type TEXT NOT NULL,
    value TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (type, value)
  ) WITHOUT ROWID;
  `,
  // 3: tag and segment definitions, every version kept; a NULL body marks a deletion.
  `
  CREATE TABLE definitions (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    version INTEGER NOT NULL,
    body TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (kind, key, version)
  ) WITHOUT ROWID;
  `,
  // 4: the engine's per-profile state and last results, segment memberships, and the changes
  // (Segment Entered / Exited, Tag Changed) on each profile's timeline.
  `
  CREATE TABLE engine_profiles (
    profile_id INTEGER PRIMARY KEY,
    state TEXT NOT NULL,
    results TEXT NOT NULL,
    next_at INTEGER
  );
  CREATE INDEX engine_profiles_due ON engine_profiles (next_at) WHERE next_at IS NOT NULL;

  CREATE TABLE segment_members (
    segment TEXT NOT NULL,
    profile_id INTEGER NOT NULL,
    since INTEGER NOT NULL,
    PRIMARY KEY (segment, profile_id)
  ) WITHOUT ROWID;
  CREATE INDEX segment_members_profile ON segment_members (profile_id);

  CREATE TABLE engine_changes (
    id INTEGER PRIMARY KEY,
    profile_id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    detail TEXT NOT NULL
  );
  CREATE INDEX engine_changes_profile ON engine_changes (profile_id, id);
  `,
  // 5: activation: what each destination was sent (for frequency caps), and its counts.
  `
  CREATE TABLE activation_log (
    destination TEXT NOT NULL,
    profile_id INTEGER NOT NULL,
    at INTEGER NOT NULL
  );
  CREATE INDEX activation_log_profile ON activation_log (destination, profile_id, at);

  CREATE TABLE activation_counts (
    destination TEXT NOT NULL,
    key TEXT NOT NULL,
    outcome TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (destination, key, outcome)
  ) WITHOUT ROWID;
  `,
];

/** Brings a database up to the current schema; refuses one written by a newer Spoor. */
export function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new Error(
      `The database was written by a newer Spoor (schema ${version}); this one knows ${MIGRATIONS.length}`,
    );
  }
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] ?? '');
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
