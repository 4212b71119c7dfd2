import { channelOf, profileOpsOf } from '../identity/event-facts.js';
import { compareKeys, NO_KEY, type LinkKey } from '../identity/merge-rules.js';
import { mergeTraits, stateOfOps, type ProfileOps, type TraitState } from '../identity/traits.js';
import { RecentCache } from './recent-cache.js';
import type { Statements } from './sql.js';

/** What the hot path keeps of a profile. */
export interface Facts {
  channels: string[];
  purchased: boolean;
  merges: number;
  /** The latest key of any link touching the profile's identifiers. */
  maxKey: LinkKey;
}

interface FactsRow {
  channels: string;
  purchased: number;
  merges: number;
  max_t: number;
  max_m: string;
  max_r: number;
}

/**
 * Profile rows: the facts every event may update (channels seen, purchase, the latest link
 * key), traits from identify, and their rebuild from the stored events after a split. Facts
 * are cached, so an event that changes nothing writes nothing.
 */
export class ProfileFacts {
  private readonly _cache: RecentCache<number, Facts>;

  constructor(
    private readonly _sql: Statements,
    cacheSize: number,
    private readonly _purchaseEvents: ReadonlySet<string>,
  ) {
    this._cache = new RecentCache(cacheSize);
  }

  /** Creates an empty profile; returns its id. */
  create(now: number): number {
    const { lastInsertRowid } = this._sql
      .get('INSERT INTO profiles (created_at, max_t) VALUES (?, ?)')
      .run(now, NO_KEY.t);
    const id = Number(lastInsertRowid);
    this._cache.set(id, { channels: [], purchased: false, merges: 0, maxKey: NO_KEY });
    return id;
  }

  get(id: number): Facts {
    const cached = this._cache.get(id);
    if (cached) return cached;
    const row = this._sql
      .get('SELECT channels, purchased, merges, max_t, max_m, max_r FROM profiles WHERE id = ?')
      .get(id) as FactsRow | undefined;
    if (!row) throw new Error(`profile ${id} is missing`);
    const facts: Facts = {
      channels: JSON.parse(row.channels) as string[],
      purchased: row.purchased === 1,
      merges: row.merges,
      maxKey: { t: row.max_t, m: row.max_m, r: row.max_r },
    };
    this._cache.set(id, facts);
    return facts;
  }

  /** Records that a link with `key` touched the profile. */
  touch(id: number, key: LinkKey): void {
    const facts = this.get(id);
    if (compareKeys(key, facts.maxKey) <= 0) return;
    facts.maxKey = key;
    this._sql
      .get('UPDATE profiles SET max_t = ?, max_m = ?, max_r = ? WHERE id = ?')
      .run(key.t, key.m, key.r, id);
  }

  /** Applies what one event says about its profile. */
  observe(
    id: number,
    channel: string,
    purchase: boolean,
    ops: string | null,
    t: number,
    m: string,
  ) {
    const facts = this.get(id);
    if (!facts.channels.includes(channel) || (purchase && !facts.purchased)) {
      if (!facts.channels.includes(channel)) facts.channels = [...facts.channels, channel].sort();
      facts.purchased ||= purchase;
      this._sql
        .get('UPDATE profiles SET channels = ?, purchased = ? WHERE id = ?')
        .run(JSON.stringify(facts.channels), facts.purchased ? 1 : 0, id);
    }
    if (ops !== null) {
      const state = stateOfOps(JSON.parse(ops) as ProfileOps, t, m);
      this._writeTraits(id, mergeTraits(this.traits(id), state));
    }
  }

  traits(id: number): TraitState {
    const row = this._sql.get('SELECT traits FROM profiles WHERE id = ?').get(id) as
      { traits: string } | undefined;
    return JSON.parse(row?.traits ?? '{}') as TraitState;
  }

  /** Folds profile `loser` into `survivor`; the caller moves the identifiers. */
  absorb(survivor: number, loser: number, key: LinkKey): void {
    const s = this.get(survivor);
    const l = this.get(loser);
    const merged: Facts = {
      channels: [...new Set([...s.channels, ...l.channels])].sort(),
      purchased: s.purchased || l.purchased,
      merges: s.merges + l.merges + 1,
      maxKey: [s.maxKey, l.maxKey, key].reduce((a, b) => (compareKeys(a, b) >= 0 ? a : b)),
    };
    this._write(survivor, merged, mergeTraits(this.traits(survivor), this.traits(loser)));
    this.remove(loser);
  }

  /** Rebuilds a profile's facts and traits from the events of the given identifiers. */
  rebuild(id: number, identifierIds: readonly number[], merges: number, maxKey: LinkKey): void {
    const channels = new Set<string>();
    let purchased = false;
    let traits: TraitState = {};
    const rows = this._sql.chunked<{ payload: string; timestamp: number; message_id: string }>(
      identifierIds,
      (ids) => `SELECT payload, timestamp, message_id FROM events WHERE identifier_id IN (${ids})`,
    );
    for (const row of rows) {
      const event = JSON.parse(row.payload) as Record<string, unknown>;
      channels.add(channelOf(event));
      if (event['type'] === 'track' && this._purchaseEvents.has(String(event['event']))) {
        purchased = true;
      }
      const ops = profileOpsOf(event);
      if (ops) traits = mergeTraits(traits, stateOfOps(ops, row.timestamp, row.message_id));
    }
    this._write(id, { channels: [...channels].sort(), purchased, merges, maxKey }, traits);
  }

  /**
   * Deletes a profile (merged into another, split by a recompute, or erased). Its segment
   * memberships end with it, as `segment_exited` changes that destinations are told of, in
   * the same transaction; the engine rebuilds whatever profiles took over its identifiers.
   */
  remove(id: number): void {
    this._sql.get('DELETE FROM profiles WHERE id = ?').run(id);
    this._cache.delete(id);
    const segments = this._sql
      .get('SELECT segment FROM segment_members WHERE profile_id = ?')
      .all(id) as { segment: string }[];
    const exit = this._sql.get(
      "INSERT INTO engine_changes (profile_id, at, kind, key, detail) VALUES (?, ?, 'segment_exited', ?, ?)",
    );
    const detail = JSON.stringify({ from: true, to: 'unknown', reason: 'profile removed' });
    for (const { segment } of segments) exit.run(id, Date.now(), segment, detail);
    this._sql.get('DELETE FROM segment_members WHERE profile_id = ?').run(id);
    this._sql.get('DELETE FROM engine_profiles WHERE profile_id = ?').run(id);
  }

  clearCache(): void {
    this._cache.clear();
  }

  private _write(id: number, facts: Facts, traits: TraitState): void {
    this._sql
      .get(
        'UPDATE profiles SET channels = ?, purchased = ?, merges = ?, max_t = ?, max_m = ?, max_r = ?, traits = ? WHERE id = ?',
      )
      .run(
        JSON.stringify(facts.channels),
        facts.purchased ? 1 : 0,
        facts.merges,
        facts.maxKey.t,
        facts.maxKey.m,
        facts.maxKey.r,
        JSON.stringify(traits),
        id,
      );
    this._cache.set(id, facts);
  }

  private _writeTraits(id: number, traits: TraitState): void {
    this._sql.get('UPDATE profiles SET traits = ? WHERE id = ?').run(JSON.stringify(traits), id);
  }
}
