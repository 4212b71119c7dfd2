import { randomFillSync } from 'node:crypto';
import { createEventSource, offsetsOf, writeUuid } from './events.js';
import { hasUser, idWidth } from './identity-seed.js';

/** Events per request: one visitor's SDK batch. */
export const VISITOR_BATCH = 20;
/** Position of the identify in a merge batch: a few page views first, then the login. */
const IDENTIFY_AT = 4;

// Fixed-width placeholders, overwritten in place for every request (see events.js).
const MESSAGE_ID = '00000000-0000-4000-8000-000000000000';
const NEW_ANON = 'ffffffff-ffff-4fff-8fff-ffffffffffff';
const SEED_PREFIX = 'seed-anon-'.length;

/**
 * Request bodies shaped like real visitors' batches against a store seeded by identity-seed.js:
 * 20 events (the track/page mix of events.js) from one visitor, in time order, all with the
 * same anonymousId. Most batches come from a seeded profile drawn uniformly (with its userId
 * when it has one); `newShare` of them from a brand-new visitor; `mergeShare` are a new visitor
 * who logs in as a seeded user: an identify linking the new anonymousId to the user's profile,
 * which merges the two. Every body gets fresh messageIds, so nothing is a duplicate.
 */
export function createVisitorTraffic({ profiles, newShare = 0.05, mergeShare = 0.02 }) {
  const width = idWidth(profiles);
  const seedAnon = `seed-anon-${'#'.repeat(width)}`;
  const seedUser = `seed-user-${'#'.repeat(width)}`;
  const nextEvent = createEventSource(7, () => MESSAGE_ID);
  // A fixed sentAt: the collector corrects timestamps by (receivedAt − sentAt), so every event
  // lands a few seconds before its arrival, in order, as a live SDK's would.
  const sentAt = Date.now();
  const kinds = ['anon', 'user', 'new', 'merge'];
  const templates = Object.fromEntries(
    kinds.map((kind) => [
      kind,
      Array.from({ length: 16 }, () => template(kind, nextEvent, sentAt, seedAnon, seedUser)),
    ]),
  );
  const sent = Object.fromEntries(kinds.map((k) => [k, 0]));
  const random = Buffer.alloc(16 * (VISITOR_BATCH + 1));
  const all = Object.values(templates).flat();
  const users = Math.ceil(profiles / 2);
  return {
    eventBytes: Math.round(all.reduce((n, t) => n + t.eventBytes, 0) / all.length),
    bodyBytes: Math.round(all.reduce((n, t) => n + t.buf.length, 0) / all.length),
    /** Bodies handed out so far, by kind. */
    sent,
    /** The next body; its buffer is reused by a later call (autocannon copies it at once). */
    nextBody() {
      const draw = Math.random();
      let kind;
      let i = 0;
      if (draw < mergeShare) {
        kind = 'merge';
        i = 2 * Math.floor(Math.random() * users); // even profiles are the users (hasUser)
      } else if (draw < mergeShare + newShare) {
        kind = 'new';
      } else {
        i = Math.floor(Math.random() * profiles);
        kind = hasUser(i) ? 'user' : 'anon';
      }
      const list = templates[kind];
      const t = list[sent[kind]++ % list.length];
      randomFillSync(random);
      t.messageIds.forEach((at, k) => writeUuid(t.buf, at, random, k * 16));
      for (const at of t.newAnon) writeUuid(t.buf, at, random, VISITOR_BATCH * 16);
      if (t.seeded.length > 0) {
        const digits = String(i).padStart(width, '0');
        for (const at of t.seeded) t.buf.write(digits, at, 'latin1');
      }
      return t.buf;
    },
  };
}

function template(kind, nextEvent, sentAt, seedAnon, seedUser) {
  const fresh = kind === 'new' || kind === 'merge';
  const events = [];
  for (let k = 0; k < VISITOR_BATCH; k++) {
    const { userId: _drop, ...e } = nextEvent();
    const first = events[0];
    if (first) {
      // One visitor, one device: the same browser context throughout the batch.
      const { userAgent, screen, locale, timezone, campaign } = first.context;
      e.context = { ...e.context, userAgent, screen, locale, timezone, campaign };
    }
    e.anonymousId = fresh ? NEW_ANON : seedAnon;
    e.timestamp = new Date(sentAt - (VISITOR_BATCH - k) * 1000).toISOString();
    const known = kind === 'user' || (kind === 'merge' && k >= IDENTIFY_AT);
    if (known) e.userId = seedUser;
    if (kind === 'merge' && k === IDENTIFY_AT) {
      events.push({
        type: 'identify',
        messageId: e.messageId,
        anonymousId: e.anonymousId,
        userId: e.userId,
        timestamp: e.timestamp,
        traits: { member_level: 'silver', city: 'Shanghai', signup_channel: 'wechat' },
        context: e.context,
      });
    } else {
      events.push(e);
    }
  }
  const eventBytes = events.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0);
  const buf = Buffer.from(
    JSON.stringify({ batch: events, sentAt: new Date(sentAt).toISOString() }),
  );
  const messageIds = offsetsOf(buf, MESSAGE_ID);
  if (messageIds.length !== VISITOR_BATCH) throw new Error('messageId placeholder count mismatch');
  return {
    buf,
    eventBytes: eventBytes / VISITOR_BATCH,
    messageIds,
    newAnon: offsetsOf(buf, NEW_ANON),
    seeded: [...offsetsOf(buf, seedAnon), ...offsetsOf(buf, seedUser)].map(
      (at) => at + SEED_PREFIX,
    ),
  };
}
