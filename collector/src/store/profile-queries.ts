import type { Identifier } from '../identity/identifiers.js';
import { renderTraits, type TraitState } from '../identity/traits.js';
import type { IdentityGraph } from './identity-graph.js';
import type { Statements } from './sql.js';
import type {
  HistoryEntry,
  LinkView,
  ProfileHistory,
  ProfileRecord,
  StoredEvent,
  TimelineCursor,
} from './types.js';

interface Member extends Identifier {
  id: number;
  created_at: number;
}

/** The read side of profiles: the 360° view, the timeline and the history. */
export class ProfileQueries {
  constructor(
    private readonly _sql: Statements,
    private readonly _graph: IdentityGraph,
  ) {}

  /** The profile an identifier belongs to, with its identifiers; null if it is unknown. */
  members(ref: Identifier): { profileId: number; members: Member[] } | null {
    const node = this._graph.node(ref, 0, false);
    if (!node) return null;
    const profileId = this._graph.profileOf(node.id);
    const members = this._sql
      .get('SELECT id, type, value, created_at FROM identifiers WHERE profile_id = ? ORDER BY id')
      .all(profileId) as Member[];
    return { profileId, members };
  }

  profile(ref: Identifier): ProfileRecord | null {
    const found = this.members(ref);
    if (!found) return null;
    const row = this._sql
      .get('SELECT created_at, traits, channels, purchased, merges FROM profiles WHERE id = ?')
      .get(found.profileId) as {
      created_at: number;
      traits: string;
      channels: string;
      purchased: number;
      merges: number;
    };
    const edge = (order: 'ASC' | 'DESC') =>
      this._sql
        .get(
          `SELECT timestamp FROM events WHERE identifier_id = ? ORDER BY timestamp ${order} LIMIT 1`,
        )
        .pluck();
    const times = found.members.flatMap((m) =>
      [edge('ASC').get(m.id), edge('DESC').get(m.id)].filter(
        (t): t is number => typeof t === 'number',
      ),
    );
    return {
      profileId: found.profileId,
      identities: found.members.map((m) => ({
        type: m.type,
        value: m.value,
        createdAt: m.created_at,
      })),
      traits: renderTraits(JSON.parse(row.traits) as TraitState),
      channels: JSON.parse(row.channels) as string[],
      purchased: row.purchased === 1,
      merges: row.merges,
      createdAt: row.created_at,
      firstSeen: times.length > 0 ? Math.min(...times) : null,
      lastSeen: times.length > 0 ? Math.max(...times) : null,
    };
  }

  /**
   * The profile's events, newest first (by event time, then arrival): each identifier's events
   * come from the `events_identifier` index and are merged, so a page costs one short index
   * scan per identifier whatever the profile's history length.
   */
  timeline(
    ref: Identifier,
    before: TimelineCursor | undefined,
    limit: number,
  ): (StoredEvent & { timestamp: number })[] | null {
    const found = this.members(ref);
    if (!found) return null;
    const page = this._sql.get(
      'SELECT seq, source, received_at AS receivedAt, payload, timestamp FROM events ' +
        'WHERE identifier_id = ? AND (timestamp < ? OR (timestamp = ? AND seq < ?)) ' +
        'ORDER BY timestamp DESC, seq DESC LIMIT ?',
    );
    const t = before?.timestamp ?? Number.MAX_SAFE_INTEGER;
    const seq = before?.seq ?? Number.MAX_SAFE_INTEGER;
    const rows = found.members.flatMap(
      (m) => page.all(m.id, t, t, seq, limit) as (StoredEvent & { timestamp: number })[],
    );
    return rows.sort((x, y) => y.timestamp - x.timestamp || y.seq - x.seq).slice(0, limit);
  }

  /** Links of the profile's identifiers with their provenance, and its merge history. */
  history(ref: Identifier): ProfileHistory | null {
    const found = this.members(ref);
    if (!found) return null;
    const ids = found.members.map((m) => m.id);
    const columns = 'a, b, t, m, source, rule, recorded_at, unlinked_at';
    const links = [
      ...this._sql.chunked<LinkRow>(
        ids,
        (p) => `SELECT ${columns} FROM identity_links WHERE a IN (${p})`,
      ),
      ...this._sql.chunked<LinkRow>(
        ids,
        (p) => `SELECT ${columns} FROM identity_links WHERE b IN (${p})`,
      ),
    ];
    const entries = this._sql
      .get('SELECT at, kind, detail FROM profile_history WHERE profile_id = ? ORDER BY id DESC')
      .all(found.profileId) as { at: number; kind: string; detail: string }[];
    const name = this._namer();
    const inProfile = new Set(ids);
    return {
      profileId: found.profileId,
      links: [...new Map(links.map((l) => [`${l.a}:${l.b}`, l])).values()]
        .sort((x, y) => x.t - y.t || (x.m < y.m ? -1 : 1))
        .map((l): LinkView => ({
          from: name(l.a),
          to: name(l.b),
          status:
            l.unlinked_at !== null
              ? 'unlinked'
              : inProfile.has(l.a) && inProfile.has(l.b)
                ? 'linked'
                : 'refused',
          messageId: l.m,
          source: l.source,
          rule: l.rule,
          timestamp: l.t,
          recordedAt: l.recorded_at,
          unlinkedAt: l.unlinked_at,
        })),
      history: entries.map((e): HistoryEntry => {
        const detail = JSON.parse(e.detail) as Record<string, unknown>;
        const named = (o: Record<string, unknown>) => {
          for (const k of ['a', 'b', 'identifier']) {
            if (typeof o[k] === 'number') o[k] = name(o[k]);
          }
          return o;
        };
        if (typeof detail['link'] === 'object') named(detail['link'] as Record<string, unknown>);
        return { at: e.at, kind: e.kind, detail: named(detail) };
      }),
    };
  }

  /** Renders identifier ids as `type:value`; erased ones as `erased`. */
  private _namer(): (id: number) => string {
    const read = this._sql.get('SELECT type, value FROM identifiers WHERE id = ?');
    return (id) => {
      const row = read.get(id) as Identifier | undefined;
      return row ? `${row.type}:${row.value}` : 'erased';
    };
  }
}

interface LinkRow {
  a: number;
  b: number;
  t: number;
  m: string;
  source: string;
  rule: string;
  recorded_at: number;
  unlinked_at: number | null;
}
