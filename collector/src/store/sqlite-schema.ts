/**
 * Migrations, applied in order and tracked in `PRAGMA user_version`. Append; never edit one
 * that has shipped.
 *
 * Row layout is shaped by ingest cost: `events` is appended in `seq` order (cheap), and the only
 * random-order index on the hot path is the dedupe key. Dedupe keys live in their own rowid table
 * so that expiring them is a range delete on the oldest ids rather than a table scan.
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

  CREATE TABLE dedupe (
    id INTEGER PRIMARY KEY,
    seen_at INTEGER NOT NULL,
    source TEXT NOT NULL,
    message_id TEXT NOT NULL,
    fingerprint TEXT NOT NULL
  );
  CREATE UNIQUE INDEX dedupe_key ON dedupe (source, message_id);

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
];
