import type { Identifier } from '../identity/identifiers.js';
import {
  compareKeys,
  refusal,
  shapeOf,
  type LinkKey,
  type Refusal,
} from '../identity/merge-rules.js';
import type { IdentityRules } from '../identity/rules.js';
import { RecentCache } from './recent-cache.js';
import { ProfileFacts } from './profile-facts.js';
import { applyPartition, componentOf } from './identity-recompute.js';
import type { Statements } from './sql.js';
import type { EventRow } from './types.js';

/** An identifier as stored: its id and current profile. */
export interface Node {
  id: number;
  profileId: number;
}

interface LinkRecord extends LinkKey {
  unlinked: boolean;
}

/** What identity resolution did during one commit, for metrics and logs. */
export interface IdentityReport {
  merges: number;
  recomputes: number;
  /** Recomputes limited to the touched profiles because the component was too large. */
  truncated: number;
  refusedCount: number;
  /** The first refusals, in detail. */
  refused: { reason: Refusal; a: string; b: string; messageId: string }[];
  suppressed: number;
}

const MAX_REPORTED = 20;

/** Options of {@link IdentityGraph}. */
export interface GraphOptions {
  rules: IdentityRules;
  /** Entries per cache (identifiers, links; profiles get a quarter). */
  cacheSize: number;
  /** Identifiers beyond which a recompute is limited to the touched profiles. */
  maxRecompute: number;
}

/**
 * The ONE ID graph on SQLite, run inside the commit transaction: every stored event's
 * identifiers are looked up (or created, each new one as its own profile), the links the event
 * observes are recorded with their provenance, and profiles merge by the rules of
 * merge-rules.ts. Links are applied greedily when they are newer than everything the profiles
 * they touch have seen, which equals the canonical replay of replay.ts; a link that arrives out
 * of order makes its connected part of the graph be replayed instead. See docs/identity.md.
 */
export class IdentityGraph {
  readonly facts: ProfileFacts;
  /** Per type, by value: no key is concatenated on the hot path. */
  private readonly _nodes = new Map<string, RecentCache<string, Node>>();
  private readonly _links: RecentCache<string, LinkRecord>;
  private _report = emptyReport();

  constructor(
    private readonly _sql: Statements,
    private readonly _options: GraphOptions,
  ) {
    this._links = new RecentCache(_options.cacheSize);
    const purchases = new Set(_options.rules.purchaseEvents);
    this.facts = new ProfileFacts(_sql, Math.max(1000, _options.cacheSize >> 2), purchases);
  }

  get rules(): IdentityRules {
    return this._options.rules;
  }

  /** Resolves one stored event; returns its primary identifier's id. */
  resolve(row: EventRow, identifiers: readonly Identifier[]): number {
    const now = row.receivedAt;
    const primary = identifiers[0] as Identifier;
    const primaryId = (this.node(primary, now, true) as Node).id;
    const rule = row.type === 'identify' || row.type === 'alias' ? row.type : 'event';
    for (let r = 1; r < identifiers.length; r++) {
      const key = { t: row.timestamp, m: row.messageId, r };
      this._observe(primary, identifiers[r] as Identifier, key, {
        source: row.source,
        rule,
        at: now,
      });
    }
    // Read again: a merge above may have moved it (the cache is kept in step by move()).
    const profile = (this.node(primary, now, false) as Node).profileId;
    this.facts.observe(profile, row.channel, row.purchase, row.ops, row.timestamp, row.messageId);
    return primaryId;
  }

  /** The stored identifier, created (as a new profile) when `create` is set. */
  node(id: Identifier, now: number, create: boolean): Node | null {
    const nodes = this._nodesOf(id.type);
    const cached = nodes.get(id.value);
    if (cached) return cached;
    const row = this._sql
      .get('SELECT id, profile_id AS profileId FROM identifiers WHERE type = ? AND value = ?')
      .get(id.type, id.value) as Node | undefined;
    if (row) {
      nodes.set(id.value, row);
      return row;
    }
    if (!create) return null;
    const profileId = this.facts.create(now);
    const { lastInsertRowid } = this._sql
      .get('INSERT INTO identifiers (type, value, profile_id, created_at) VALUES (?, ?, ?, ?)')
      .run(id.type, id.value, profileId, now);
    const node = { id: Number(lastInsertRowid), profileId };
    nodes.set(id.value, node);
    return node;
  }

  /** The current profile of an identifier. */
  profileOf(identifierId: number): number {
    const row = this._sql
      .get('SELECT profile_id FROM identifiers WHERE id = ?')
      .get(identifierId) as { profile_id: number } | undefined;
    if (!row) throw new Error(`identifier ${identifierId} is missing`);
    return row.profile_id;
  }

  /** Moves identifiers to a profile, keeping the cache in step. */
  move(rows: readonly { id: number; type: string; value: string }[], profileId: number): void {
    const update = this._sql.get('UPDATE identifiers SET profile_id = ? WHERE id = ?');
    for (const r of rows) {
      update.run(profileId, r.id);
      this._nodesOf(r.type).set(r.value, { id: r.id, profileId });
    }
  }

  /** Replays the part of the graph connected to `seeds` (see identity-recompute.ts). */
  recompute(seeds: readonly number[], now: number, reason?: string): void {
    const component = componentOf(this._sql, seeds, this._options.maxRecompute, (id) =>
      this.profileOf(id),
    );
    if (component.truncated) this._report.truncated++;
    this._report.recomputes++;
    applyPartition(this, this._sql, component.ids, now, reason);
  }

  /** Forgets cached state: after a rolled-back transaction, or a bulk change. */
  clearCaches(): void {
    this._nodes.clear();
    this._links.clear();
    this.facts.clearCache();
  }

  private _nodesOf(type: string): RecentCache<string, Node> {
    let nodes = this._nodes.get(type);
    if (!nodes) this._nodes.set(type, (nodes = new RecentCache(this._options.cacheSize)));
    return nodes;
  }

  /** Forgets a cached link, after an operator changed it. */
  forgetLink(a: number, b: number): void {
    this._links.delete(`${a}:${b}`);
  }

  /** Records a history entry on a profile. */
  history(profileId: number, kind: string, detail: object, at: number): void {
    this._sql
      .get('INSERT INTO profile_history (profile_id, at, kind, detail) VALUES (?, ?, ?, ?)')
      .run(profileId, at, kind, JSON.stringify(detail));
  }

  /** Hands over what happened since the last call. */
  takeReport(): IdentityReport {
    const report = this._report;
    this._report = emptyReport();
    return report;
  }

  countSuppressed(): void {
    this._report.suppressed++;
  }

  private _observe(
    first: Identifier,
    second: Identifier,
    key: LinkKey,
    provenance: { source: string; rule: string; at: number },
  ): void {
    const a = this.node(first, provenance.at, true) as Node;
    const b = this.node(second, provenance.at, true) as Node;
    const linkKey = `${a.id}:${b.id}`;
    const cached = this._links.get(linkKey);
    const known = cached ?? this._readLink(a.id, b.id);
    if (known && (known.unlinked || compareKeys(key, known) >= 0)) {
      if (!cached) this._links.set(linkKey, known);
      return;
    }
    this._sql
      .get(
        'INSERT INTO identity_links (a, b, t, m, r, source, rule, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ' +
          'ON CONFLICT (a, b) DO UPDATE SET t = excluded.t, m = excluded.m, r = excluded.r, ' +
          'source = excluded.source, rule = excluded.rule, recorded_at = excluded.recorded_at',
      )
      .run(a.id, b.id, key.t, key.m, key.r, provenance.source, provenance.rule, provenance.at);
    this._links.set(linkKey, { ...key, unlinked: false });
    const pa = a.profileId;
    const pb = b.profileId;
    const inOrder =
      compareKeys(key, this.facts.get(pa).maxKey) > 0 &&
      compareKeys(key, this.facts.get(pb).maxKey) > 0;
    if (!inOrder) return this.recompute([a.id, b.id], provenance.at);
    if (pa === pb) return this.facts.touch(pa, key);
    const why = refusal(this._shape(pa), this._shape(pb), this._options.rules);
    const detail = { a: a.id, b: b.id, messageId: key.m, t: key.t, ...provenance };
    if (why) {
      this.facts.touch(pa, key);
      this.facts.touch(pb, key);
      for (const p of [pa, pb])
        this.history(p, 'refused', { ...detail, reason: why }, provenance.at);
      this._refused(why, a.id, b.id, key.m);
      return;
    }
    this._merge(Math.min(pa, pb), Math.max(pa, pb), key, detail, provenance.at);
  }

  private _merge(survivor: number, loser: number, key: LinkKey, link: object, at: number): void {
    const moved = this._sql
      .get('SELECT id, type, value FROM identifiers WHERE profile_id = ?')
      .all(loser) as { id: number; type: string; value: string }[];
    this.move(moved, survivor);
    this.facts.absorb(survivor, loser, key);
    this._sql
      .get('UPDATE profile_history SET profile_id = ? WHERE profile_id = ?')
      .run(survivor, loser);
    this.history(survivor, 'merge', { absorbed: loser, link }, at);
    this._report.merges++;
  }

  private _shape(profileId: number) {
    const ids = this._sql
      .get('SELECT type, value FROM identifiers WHERE profile_id = ?')
      .all(profileId) as Identifier[];
    return shapeOf(ids, this.facts.get(profileId).merges, this._options.rules);
  }

  private _readLink(a: number, b: number): LinkRecord | undefined {
    const row = this._sql
      .get('SELECT t, m, r, unlinked_at FROM identity_links WHERE a = ? AND b = ?')
      .get(a, b) as { t: number; m: string; r: number; unlinked_at: number | null } | undefined;
    return row && { t: row.t, m: row.m, r: row.r, unlinked: row.unlinked_at !== null };
  }

  private _refused(reason: Refusal, a: number, b: number, messageId: string): void {
    this._report.refusedCount++;
    if (this._report.refused.length >= MAX_REPORTED) return;
    const name = (id: number) => {
      const row = this._sql
        .get('SELECT type, value FROM identifiers WHERE id = ?')
        .get(id) as Identifier;
      return `${row.type}:${row.value}`;
    };
    this._report.refused.push({ reason, a: name(a), b: name(b), messageId });
  }
}

function emptyReport(): IdentityReport {
  return { merges: 0, recomputes: 0, truncated: 0, refusedCount: 0, refused: [], suppressed: 0 };
}
