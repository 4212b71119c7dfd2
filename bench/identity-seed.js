import Database from 'better-sqlite3';

/** The source the benchmark's write key names; seeded links carry it too. */
export const SEED_SOURCE = 'web';

/** Digits in seeded ids: fixed, so that every size sends bodies of the same length. */
export function idWidth(profiles) {
  return Math.max(7, String(profiles - 1).length);
}

/** The anonymous id of seeded profile `i`. */
export const seedAnonymousId = (i, width) => `seed-anon-${String(i).padStart(width, '0')}`;
/** The user id of seeded profile `i`; only even profiles have one. */
export const seedUserId = (i, width) => `seed-user-${String(i).padStart(width, '0')}`;
/** Whether seeded profile `i` is a known user (an anonymous id linked to a user id). */
export const hasUser = (i) => i % 2 === 0;

// NO_KEY.t of collector/src/identity/merge-rules.ts: what a profile no link has touched holds.
const NO_KEY_T = -Number.MAX_VALUE;

/**
 * Writes `profiles` profiles into a store whose schema the collector has just created, as the
 * collector itself would have left them after seeing each visitor once from the web SDK: every
 * profile holds an anonymous id; every other one also a user id, linked to it by an identify
 * (one merge, the link's key as the profile's latest key). The channel is already recorded, as
 * for a returning visitor. All in one transaction, with prepared statements and no fsync.
 * Returns the rows written.
 */
export function seedProfiles(file, profiles, now = Date.now()) {
  const db = new Database(file, { fileMustExist: true });
  try {
    const version = db.pragma('user_version', { simple: true });
    if (version < 2) throw new Error(`${file}: schema ${version}, identity tables need 2`);
    if (db.prepare('SELECT count(*) FROM profiles').pluck().get() !== 0)
      throw new Error(`${file}: already has profiles`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144');

    const profile = db.prepare(
      'INSERT INTO profiles (id, created_at, max_t, max_m, max_r, merges, channels) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const identifier = db.prepare(
      'INSERT INTO identifiers (id, type, value, profile_id, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    const link = db.prepare(
      'INSERT INTO identity_links (a, b, t, m, r, source, rule, recorded_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?)',
    );
    const width = idWidth(profiles);
    // A month ago, so that every link the benchmark's traffic brings is newer (in order).
    const start = now - 30 * 86_400_000;
    // What channelOf() makes of the traffic's `context.library.name` (@spoor/web).
    const channels = JSON.stringify(['web']);
    const rows = { profiles: 0, identifiers: 0, links: 0 };
    let nextIdentifier = 1;
    db.transaction(() => {
      for (let i = 0; i < profiles; i++) {
        const id = i + 1;
        const t = start + i;
        const m = `seed-${i}`;
        const user = hasUser(i);
        profile.run(
          id,
          start,
          user ? t : NO_KEY_T,
          user ? m : '',
          user ? 1 : 0,
          user ? 1 : 0,
          channels,
        );
        const anon = nextIdentifier++;
        identifier.run(anon, 'anonymous_id', seedAnonymousId(i, width), id, start);
        rows.profiles++;
        rows.identifiers++;
        if (!user) continue;
        const known = nextIdentifier++;
        identifier.run(known, 'user_id', seedUserId(i, width), id, start);
        // The higher-priority identifier (user_id) is the link's `a`, as IdentityGraph records it.
        link.run(known, anon, t, m, SEED_SOURCE, 'identify', start);
        rows.identifiers++;
        rows.links++;
      }
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    return rows;
  } finally {
    db.close();
  }
}
