// Limit B: how fast SQLite takes the same rows with nothing in front of it. One transaction,
// WAL, synchronous=FULL, the columns of the collector's events table and a unique message id.
// Runs as a child of run.js: argv[2] = data dir, argv[3] = row count.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createEventSource } from './events.js';

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

const db = new Database(join(dir, 'limit.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
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
const insertAll = db.transaction(() => {
  for (const row of rows) insert.run(...row);
});

const start = process.hrtime.bigint();
insertAll();
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const stored = db.prepare('SELECT count(*) FROM events').pluck().get();
db.close();
if (stored !== count) throw new Error(`stored ${stored} rows of ${count}`);

process.send({ type: 'result', rows: count, seconds, eventsPerSec: count / seconds, payloadBytes }, () =>
  process.disconnect(),
);
