// A store for the backfill measurement: N profiles and their histories written straight into a
// collector's SQLite file (its schema made by the collector itself), as the collector would have
// left them after ingesting those events with no definitions: events in time order pointing at
// each profile's anonymous identifier, payloads as the collector stores them, traits in the
// profile's trait registers, and the engine's outbox cursor past the last event. Left out: the
// dedupe log (a backfill never reads it) and the engine's own rows (a profile the engine has not
// seen has none).
import Database from 'better-sqlite3';
import { callFor, createHistory, IDENTIFY, storedPayload } from './engine-traffic.js';
import { createDice, personTraits, registers } from './engine-vocabulary.js';

const DAY = 86_400_000;
// NO_KEY.t of collector/src/identity/merge-rules.ts: what a profile no link has touched holds.
const NO_KEY_T = -Number.MAX_VALUE;

/**
 * Writes `profiles` profiles with `eventsPerProfile` events each on average, spread over the
 * `days` days before `now`, into `file`. One transaction, no fsync. Returns the rows written.
 */
export function seedEngineStore(file, { profiles, eventsPerProfile, days, now = Date.now() }) {
  const db = new Database(file, { fileMustExist: true });
  try {
    if (db.prepare('SELECT count(*) FROM profiles').pluck().get() !== 0)
      throw new Error(`${file}: already has profiles`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144');
    const d = createDice(5);
    const traits = Array.from({ length: profiles }, () => personTraits(d, now));
    const history = createHistory({
      profiles,
      events: profiles * eventsPerProfile,
      start: now - days * DAY,
      end: now - 60_000,
      seed: 17,
    });
    const event = db.prepare(
      'INSERT INTO events (seq, source, message_id, type, name, anonymous_id, user_id, timestamp, received_at, payload, identifier_id, channel) ' +
        "VALUES (?, 'web', ?, ?, ?, ?, NULL, ?, ?, ?, ?, 'web')",
    );
    const profile = db.prepare(
      "INSERT INTO profiles (id, created_at, max_t, max_m, max_r, merges, traits, channels) VALUES (?, ?, ?, '', 0, 0, ?, '[\"web\"]')",
    );
    const identifier = db.prepare(
      "INSERT INTO identifiers (id, type, value, profile_id, created_at) VALUES (?, 'anonymous_id', ?, ?, ?)",
    );
    const stamps = new Array(profiles).fill(null);
    db.transaction(() => {
      for (let i = 0; i < history.count; i++) {
        const p = history.profile[i];
        const t = history.time[i];
        const call = callFor(history.kind[i], d, now);
        const messageId = `seed-${i}`;
        if (history.kind[i] === IDENTIFY) {
          Object.assign(traits[p], call.traits);
          stamps[p] = [t, messageId];
        }
        const anonymousId = anonymousOf(p);
        const payload = storedPayload({
          messageId,
          time: t,
          receivedAt: t + 200,
          anonymousId,
          call,
          variant: p,
        });
        const name = call.type === 'track' ? call.event : (call.name ?? null);
        event.run(i + 1, messageId, call.type, name, anonymousId, t, t + 200, payload, p + 1);
      }
      const created = now - days * DAY;
      for (let p = 0; p < profiles; p++) {
        const [t, m] = stamps[p] ?? [created, `seed-traits-${p}`];
        profile.run(p + 1, created, NO_KEY_T, JSON.stringify(registers(traits[p], t, m)));
        identifier.run(p + 1, anonymousOf(p), p + 1, created);
      }
      db.prepare("INSERT INTO sink_cursors (sink, seq) VALUES ('engine', ?)").run(history.count);
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { profiles, events: history.count };
  } finally {
    db.close();
  }
}

const anonymousOf = (p) => `seed-anon-${String(p).padStart(8, '0')}`;
