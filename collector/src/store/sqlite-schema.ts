/**
 * Migrations, applied in order and tracked in `PRAGMA user_version`. Append; never edit one
 * that has shipped.
 *
 * Row layout is shaped by ingest cost: every table written on the hot path is appended in `seq`
 * order. There is deliberately no index on message ids (they are random, and such an index costs
 * a page rewrite per event under frequent commits): `dedupe_log` records each stored event's
 * dedupe hash, the store keeps the window's hashes in memory (dedupe-index.ts), and expiring
 * keys is a range delete on the oldest seqs.
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
];
