// Stream keys: one short key per distinct event match, so that every definition looking at
// "Order Completed where route = SHA-CTU" shares one set of aggregates, however its filters are
// ordered or its keys spelled. Keys are hashes because they are repeated in every stored state.
import type { EventMatch } from '@spoor/schemas';

/** JSON with object keys sorted: equal values give equal text. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const members = entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The canonical text of an event match: its name and its filters, sorted (their order is moot). */
export function canonicalMatch(match: EventMatch): string {
  const filters = (match.where ?? []).map(stableJson).sort();
  return JSON.stringify([match.event, ...filters]);
}

/**
 * A 53-bit hash of `text` in base 36 (cyrb53, public domain): 11 characters at most, with
 * collisions among a deployment's few hundred streams as good as impossible (the compiler checks).
 */
export function hashKey(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
