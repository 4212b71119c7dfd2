import { compare } from './identifiers.js';
import type { IdentityRules } from './rules.js';

/** What the merge rules need to know about a profile. */
export interface ProfileShape {
  identifiers: number;
  merges: number;
  /** The values a profile holds of each type that has a per-profile maximum. */
  limited: Map<string, Set<string>>;
}

/** Why two profiles were not merged. */
export type Refusal = `conflict:${string}` | 'max_identifiers' | 'max_merges';

/** The order links are applied in: event time, messageId, rank in the event. */
export interface LinkKey {
  t: number;
  m: string;
  r: number;
}

/** Total order on link keys. */
export function compareKeys(a: LinkKey, b: LinkKey): number {
  return a.t - b.t || compare(a.m, b.m) || a.r - b.r;
}

/** The lowest possible key: what a profile no link has touched holds. */
export const NO_KEY: LinkKey = { t: -Number.MAX_VALUE, m: '', r: 0 };

/** The shape of a profile holding the given identifiers. */
export function shapeOf(
  identifiers: readonly { type: string; value: string }[],
  merges: number,
  rules: IdentityRules,
): ProfileShape {
  const limited = new Map<string, Set<string>>();
  for (const { type, value } of identifiers) {
    if ((rules.types[type]?.max ?? Infinity) === Infinity) continue;
    let values = limited.get(type);
    if (!values) limited.set(type, (values = new Set()));
    values.add(value);
  }
  return { identifiers: identifiers.length, merges, limited };
}

/**
 * Whether two profiles may become one: not if together they would hold more distinct values of
 * a limited type than its maximum (two user IDs, two phone numbers), more identifiers than the
 * profile cap, or more merges than the merge cap. Symmetric, so link order alone decides.
 */
export function refusal(a: ProfileShape, b: ProfileShape, rules: IdentityRules): Refusal | null {
  for (const [type, values] of a.limited) {
    const other = b.limited.get(type);
    if (!other) continue;
    const union = new Set([...values, ...other]);
    if (union.size > (rules.types[type]?.max ?? Infinity)) return `conflict:${type}`;
  }
  if (a.identifiers + b.identifiers > rules.maxIdentifiers) return 'max_identifiers';
  if (a.merges + b.merges + 1 > rules.maxMerges) return 'max_merges';
  return null;
}

/** The shape of two profiles merged. */
export function mergeShapes(a: ProfileShape, b: ProfileShape): ProfileShape {
  const limited = new Map([...a.limited].map(([t, v]) => [t, new Set(v)]));
  for (const [type, values] of b.limited) {
    const into = limited.get(type);
    if (into) for (const v of values) into.add(v);
    else limited.set(type, new Set(values));
  }
  return {
    identifiers: a.identifiers + b.identifiers,
    merges: a.merges + b.merges + 1,
    limited,
  };
}
