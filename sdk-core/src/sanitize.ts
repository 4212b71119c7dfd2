/** Keys the collector refuses anywhere in an event, since they can reach an object's prototype. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 15;
const SURROGATE = /[\ud800-\udfff]/;
// A pair or a lone surrogate. No lookbehind: JavaScriptCore before iOS 16.4 cannot parse one,
// and a mini-program would not even load.
const PAIR_OR_LONE = /[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]/g;

/** The string with unpaired surrogates replaced by U+FFFD (an equal string when none are). */
function wellFormed(value: string): string {
  return SURROGATE.test(value)
    ? value.replace(PAIR_OR_LONE, (m) => (m.length === 2 ? m : '\ufffd'))
    : value;
}

/** A JSON-safe copy of a value, and what had to change to make it so. */
export interface Sanitized<T> {
  value: T;
  /** What was changed, for the debug log; empty when nothing was. */
  changes: string[];
}

/**
 * Makes whatever the host passed JSON-safe without throwing: Dates become ISO strings, BigInts
 * decimal strings, NaN and ±Infinity null, Maps objects and Sets arrays; functions, symbols and
 * undefined object members are left out; cycles and nesting deeper than the collector accepts
 * are cut; keys such as `__proto__` are dropped and unpaired surrogates replaced, since the
 * collector would refuse the whole event for them. Getters that throw are left out.
 */
export function sanitize(input: unknown): Sanitized<unknown> {
  const changes: string[] = [];
  const note = (path: string, change: string) => changes.push(`${path}: ${change}`);
  const text = (value: string, path: string) => {
    const clean = wellFormed(value);
    if (clean !== value) note(path, 'unpaired surrogate replaced');
    return clean;
  };
  const seen = new Set<object>();
  const walk = (value: unknown, path: string, depth: number): unknown => {
    switch (typeof value) {
      case 'string':
        return text(value, path);
      case 'number':
        if (Number.isFinite(value)) return value;
        note(path, `${String(value)} → null`);
        return null;
      case 'boolean':
        return value;
      case 'bigint':
        note(path, 'BigInt → string');
        // Its decimal digits: the lint rule cannot know, as ES2019's library has no BigInt type.
        // eslint-disable-next-line @typescript-eslint/no-base-to-string
        return String(value);
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined;
    }
    if (value === null) return null;
    const object = value as Record<string, unknown>;
    if (object instanceof Date) {
      return Number.isNaN(object.getTime()) ? null : object.toISOString();
    }
    if (depth >= MAX_DEPTH) {
      note(path, 'nested too deeply, cut');
      return '[Truncated]';
    }
    if (seen.has(object)) {
      note(path, 'circular reference, cut');
      return '[Circular]';
    }
    seen.add(object);
    try {
      if (Array.isArray(object) || object instanceof Set) {
        return [...(object as Iterable<unknown>)].map((item, i) => {
          const cleaned = walk(item, `${path}[${i}]`, depth + 1);
          return cleaned === undefined ? null : cleaned;
        });
      }
      const out: Record<string, unknown> = {};
      const map = object instanceof Map ? object : null;
      for (const rawKey of map ? [...map.keys()] : Object.keys(object)) {
        const key = text(String(rawKey), path);
        const at = path === '' ? key : `${path}.${key}`;
        if (FORBIDDEN.has(key)) {
          note(at, 'forbidden key dropped');
          continue;
        }
        let item: unknown;
        try {
          item = map ? map.get(rawKey) : object[rawKey as string];
        } catch {
          note(at, 'getter threw, left out');
          continue;
        }
        const cleaned = walk(item, at, depth + 1);
        if (cleaned !== undefined) out[key] = cleaned;
      }
      return out;
    } finally {
      seen.delete(object);
    }
  };
  return { value: walk(input, '', 0), changes };
}

/** The object with its top-level strings made well-formed (its objects are clean already). */
export function sanitizeStrings<T extends Record<string, unknown>>(object: T): T {
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (typeof value === 'string') (object as Record<string, unknown>)[key] = wellFormed(value);
  }
  return object;
}

/** Whether a value is a plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A sanitised plain object (anything else becomes `{}`). */
export function sanitizeObject(input: unknown): Sanitized<Record<string, unknown>> {
  if (input === undefined || input === null) return { value: {}, changes: [] };
  const { value, changes } = isRecord(input) ? sanitize(input) : { value: null, changes: [] };
  // A Date, for one, does not come out as a plain object.
  return isRecord(value)
    ? { value, changes }
    : { value: {}, changes: [...changes, 'not an object, ignored'] };
}
