// Limit B: how fast SQLite takes the same rows with nothing in front of it. One transaction,
// WAL, synchronous=FULL, the columns of the collector's events table and a unique message id.
// For reference it also inserts the same rows in commits of GROUP_ROWS, as a group-committing
// store must: each commit rewrites every index page it touched, so this rate is lower.
// Runs as a child of run.js: argv[2] = data dir, argv[3] = row count.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createEventSource } from './events.js';

const GROUP_ROWS = 1000;

const [dir, count] = [process.argv[2], Number(process.argv[3])];
if (!dir || !(count > 0)) throw new Error('usage: sqlite-insert.js <dir> <rows>');

// Rows are built before the clock starts: this measures SQLite, not JSON.stringify.
const nextEvent = createEventSource(1);
const receivedAt = Date.now();
const rows = Array.from({ length: count }, () => {
  const e = nextEvent();
  return [
    'web',
    e.messageId,
    e.type,
    e.event ?? e.name ?? null,
    e.anonymousId,
    e.userId ?? null,
    Date.parse(e.timestamp),
    receivedAt,
    JSON.stringify(e),
  ];
});
const payloadBytes = Math.round(rows.reduce((n, r) => n + r[8].length, 0) / count);

function open(file) {
  const db = new Database(join(dir, file));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  // Deliberately the collector's `events` columns (collector/src/store/sqlite-schema.ts) plus
  // the UNIQUE message id the limit names: the same rows, stored with nothing else.
  db.exec(`CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    name TEXT,
    anonymous_id TEXT,
    user_id TEXT,
    timestamp INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    payload TEXT NOT NULL
  )`);
  const insert = db.prepare(
    'INSERT INTO events (source, message_id, type, name, anonymous_id, user_id, timestamp, received_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  return { db, insertAll: db.transaction((some) => some.forEach((row) => insert.run(...row))) };
}

/** Inserts every row, `perCommit` rows per transaction; returns events/s and seconds. */
function measure(file, perCommit) {
  const { db, insertAll } = open(file);
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i += perCommit) insertAll(rows.slice(i, i + perCommit));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const stored = db.prepare('SELECT count(*) FROM events').pluck().get();
  db.close();
  if (stored !== count) throw new Error(`stored ${stored} rows of ${count}`);
  return { seconds, eventsPerSec: count / seconds };
}

const single = measure('one-transaction.db', count);
const grouped = measure('grouped.db', GROUP_ROWS);
process.send(
  {
    type: 'result',
    rows: count,
    payloadBytes,
    ...single,
    grouped: { rowsPerCommit: GROUP_ROWS, ...grouped },
  },
  () => process.disconnect(),
);
