import { compareKeys, NO_KEY, type LinkKey } from '../identity/merge-rules.js';
import { replayLinks, type GraphLink, type GraphNode } from '../identity/replay.js';
import type { IdentityGraph } from './identity-graph.js';
import type { Statements } from './sql.js';

/** Identifiers to replay, and whether the bound cut the search short. */
export interface Component {
  ids: number[];
  truncated: boolean;
}

/**
 * The identifiers connected to `seeds` by active links, recorded or refused. When there are
 * more than `max` (a popular shared value that is not blocked), the replay is limited to the
 * profiles the seeds belong to: resolution there may then depend on arrival order, which the
 * metrics count and docs/identity.md states.
 */
export function componentOf(
  sql: Statements,
  seeds: readonly number[],
  max: number,
  profileOf: (id: number) => number,
): Component {
  const neighbours = sql.get(
    'SELECT b AS n FROM identity_links WHERE a = ? AND unlinked_at IS NULL ' +
      'UNION ALL SELECT a FROM identity_links WHERE b = ? AND unlinked_at IS NULL',
  );
  const seen = new Set(seeds);
  const queue = [...seeds];
  while (queue.length > 0) {
    const id = queue.pop() as number;
    for (const { n } of neighbours.all(id, id) as { n: number }[]) {
      if (seen.has(n)) continue;
      seen.add(n);
      queue.push(n);
    }
    if (seen.size > max) {
      const profiles = [...new Set(seeds.map(profileOf))];
      const ids = sql.chunked<{ id: number }>(
        profiles,
        (p) => `SELECT id FROM identifiers WHERE profile_id IN (${p})`,
      );
      return { ids: ids.map((r) => r.id), truncated: true };
    }
  }
  return { ids: [...seen], truncated: false };
}

/**
 * Replays the links among `ids` and makes the stored profiles match: identifiers move, each
 * resulting profile keeps the oldest profile ID its members had (a new one when all are taken),
 * profiles whose members changed are rebuilt from their events, and the history says so.
 */
export function applyPartition(
  graph: IdentityGraph,
  sql: Statements,
  ids: readonly number[],
  now: number,
  reason = 'link out of order',
): void {
  const nodes = sql.chunked<GraphNode & { profileId: number }>(
    ids,
    (p) => `SELECT id, type, value, profile_id AS profileId FROM identifiers WHERE id IN (${p})`,
  );
  const inSet = new Set(ids);
  const links = sql
    .chunked<GraphLink>(
      ids,
      (p) => `SELECT a, b, t, m, r FROM identity_links WHERE a IN (${p}) AND unlinked_at IS NULL`,
    )
    .filter((l) => inSet.has(l.b));
  const { groups, merges } = replayLinks(nodes, links, graph.rules);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const assigned = assignProfiles(groups, byId, now, graph);

  const before = new Map<number, number>();
  for (const n of nodes) before.set(n.profileId, (before.get(n.profileId) ?? 0) + 1);
  const groupOf = new Map<number, number>();
  groups.forEach((members, g) => members.forEach((id) => groupOf.set(id, g)));
  const maxKeys: LinkKey[] = groups.map(() => NO_KEY);
  for (const l of links) {
    for (const g of new Set([groupOf.get(l.a) ?? 0, groupOf.get(l.b) ?? 0])) {
      if (compareKeys(l, maxKeys[g] ?? NO_KEY) > 0) maxKeys[g] = { t: l.t, m: l.m, r: l.r };
    }
  }
  groups.forEach((members, g) => {
    const pid = assigned[g] as number;
    const movers = members.map((id) => byId.get(id) as GraphNode & { profileId: number });
    const changed =
      movers.some((n) => n.profileId !== pid) || (before.get(pid) ?? 0) !== members.length;
    if (!changed) return graph.facts.touch(pid, maxKeys[g] ?? NO_KEY);
    graph.move(
      movers.filter((n) => n.profileId !== pid),
      pid,
    );
    graph.facts.rebuild(pid, members, merges[g] ?? 0, maxKeys[g] ?? NO_KEY);
    const previous = [...new Set(movers.map((n) => n.profileId))].sort((x, y) => x - y);
    graph.history(pid, 'recomputed', { reason, previous, identifiers: members.length }, now);
  });
  const kept = new Set(assigned);
  for (const pid of before.keys()) {
    if (kept.has(pid)) continue;
    const heir = assigned[groupOf.get(nodes.find((n) => n.profileId === pid)?.id ?? 0) ?? 0];
    sql.get('UPDATE profile_history SET profile_id = ? WHERE profile_id = ?').run(heir, pid);
    graph.facts.remove(pid);
  }
}

/**
 * Gives each group a profile ID: the oldest (lowest) ID any of its members had. When two groups
 * held members of one profile, the ID stays with the group holding its highest-priority
 * identifier (the user ID rather than a device unlinked from it), then the larger, then the one
 * with the oldest identifier. Groups left without one get a new profile.
 */
function assignProfiles(
  groups: readonly number[][],
  byId: ReadonlyMap<number, GraphNode & { profileId: number }>,
  now: number,
  graph: IdentityGraph,
): number[] {
  const priority = (id: number) => graph.rules.types[byId.get(id)?.type ?? '']?.priority ?? 0;
  const candidates: { pid: number; g: number; rank: number; size: number; first: number }[] = [];
  groups.forEach((members, g) => {
    const rank = Math.max(...members.map(priority));
    const first = Math.min(...members);
    for (const pid of new Set(members.map((id) => byId.get(id)?.profileId ?? 0))) {
      candidates.push({ pid, g, rank, size: members.length, first });
    }
  });
  candidates.sort(
    (x, y) => x.pid - y.pid || y.rank - x.rank || y.size - x.size || x.first - y.first,
  );
  const assigned: (number | undefined)[] = groups.map(() => undefined);
  const taken = new Set<number>();
  for (const c of candidates) {
    if (assigned[c.g] !== undefined || taken.has(c.pid)) continue;
    assigned[c.g] = c.pid;
    taken.add(c.pid);
  }
  return assigned.map((pid) => pid ?? graph.facts.create(now));
}
