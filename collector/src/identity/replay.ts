import { compare } from './identifiers.js';
import {
  compareKeys,
  mergeShapes,
  refusal,
  shapeOf,
  type LinkKey,
  type ProfileShape,
  type Refusal,
} from './merge-rules.js';
import type { IdentityRules } from './rules.js';

/** An identifier in the graph. */
export interface GraphNode {
  id: number;
  type: string;
  value: string;
}

/** A recorded link between two identifiers, keyed by its earliest observation. */
export interface GraphLink extends LinkKey {
  a: number;
  b: number;
}

/** The profiles a set of links yields. */
export interface Partition {
  /** Groups of identifier ids, each a profile. */
  groups: number[][];
  /** Merges each group absorbed, by group index. */
  merges: number[];
  /** Links that were refused, and why. */
  refused: { link: GraphLink; reason: Refusal }[];
}

/**
 * The canonical identity resolution of a connected part of the graph: links are applied one by
 * one in key order (event time, then messageId, then rank), each merging the two profiles it
 * joins unless the merge rules refuse. Given the same links it always yields the same
 * profiles, which is what makes resolution independent of arrival order: the store keeps its
 * incremental state equal to this replay, and replays when a link arrives out of order.
 */
export function replayLinks(
  nodes: readonly GraphNode[],
  links: readonly GraphLink[],
  rules: IdentityRules,
): Partition {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const key = (id: number) => {
    const n = byId.get(id);
    return n ? `${n.type}:${n.value}` : '';
  };
  const parent = new Map<number, number>();
  const shapes = new Map<number, ProfileShape>();
  for (const n of nodes) {
    parent.set(n.id, n.id);
    shapes.set(n.id, shapeOf([n], 0, rules));
  }
  const find = (id: number): number => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    for (let x = id; x !== root;) {
      const next = parent.get(x) ?? root;
      parent.set(x, root);
      x = next;
    }
    return root;
  };
  const ordered = links
    .filter((l) => byId.has(l.a) && byId.has(l.b))
    .sort(
      (x, y) => compareKeys(x, y) || compare(key(x.a), key(y.a)) || compare(key(x.b), key(y.b)),
    );
  const refused: Partition['refused'] = [];
  for (const link of ordered) {
    const ra = find(link.a);
    const rb = find(link.b);
    if (ra === rb) continue;
    const sa = shapes.get(ra) as ProfileShape;
    const sb = shapes.get(rb) as ProfileShape;
    const reason = refusal(sa, sb, rules);
    if (reason) {
      refused.push({ link, reason });
      continue;
    }
    parent.set(rb, ra);
    shapes.set(ra, mergeShapes(sa, sb));
    shapes.delete(rb);
  }
  const groups = new Map<number, number[]>();
  for (const n of nodes) {
    const root = find(n.id);
    const group = groups.get(root);
    if (group) group.push(n.id);
    else groups.set(root, [n.id]);
  }
  const roots = [...groups.keys()];
  return {
    groups: roots.map((r) => groups.get(r) ?? []),
    merges: roots.map((r) => shapes.get(r)?.merges ?? 0),
    refused,
  };
}
