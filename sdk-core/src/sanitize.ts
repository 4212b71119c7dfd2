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
  const seen = new Set<object>();
  const walk = (value: unknown, path: string, depth: number): unknown => {
    switch (typeof value) {
      case 'string':
        return cleanString(value, path, changes);
      case 'number':
        if (Number.isFinite(value)) return value;
        changes.push(`${path}: ${String(value)} → null`);
        return null;
      case 'boolean':
        return value;
      case 'bigint':
        changes.push(`${path}: BigInt → string`);
        return value.toString();
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined;
    }
    if (value === null) return null;
    const object = value as object;
    if (object instanceof Date) {
      return Number.isNaN(object.getTime()) ? null : object.toISOString();
    }
    if (depth >= MAX_DEPTH) {
      changes.push(`${path}: nested too deeply, cut`);
      return '[Truncated]';
    }
    if (seen.has(object)) {
      changes.push(`${path}: circular reference, cut`);
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
      const entries =
        object instanceof Map ? [...object.entries()] : ownEntries(object, path, changes);
      const out: Record<string, unknown> = {};
      for (const [rawKey, item] of entries) {
        const key = cleanString(String(rawKey), path, changes);
        if (FORBIDDEN.has(key)) {
          changes.push(`${path}.${key}: forbidden key dropped`);
          continue;
        }
        const cleaned = walk(item, path === '' ? key : `${path}.${key}`, depth + 1);
        if (cleaned !== undefined) out[key] = cleaned;
      }
      return out;
    } finally {
      seen.delete(object);
    }
  };
  return { value: walk(input, '', 0), changes };
}

function ownEntries(object: object, path: string, changes: string[]): [string, unknown][] {
  const entries: [string, unknown][] = [];
  for (const key of Object.keys(object)) {
    try {
      entries.push([key, (object as Record<string, unknown>)[key]]);
    } catch {
      changes.push(`${path}.${key}: getter threw, left out`);
    }
  }
  return entries;
}

function cleanString(value: string, path: string, changes: string[]): string {
  const clean = wellFormed(value);
  if (clean !== value) changes.push(`${path}: unpaired surrogate replaced`);
  return clean;
}

/** The object with its top-level strings made well-formed (its objects are clean already). */
export function sanitizeStrings<T extends Record<string, unknown>>(object: T): T {
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (typeof value === 'string') (object as Record<string, unknown>)[key] = wellFormed(value);
  }
  return object;
}

/** A sanitised plain object (anything else becomes `{}`). */
export function sanitizeObject(input: unknown): Sanitized<Record<string, unknown>> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      value: {},
      changes: input === undefined || input === null ? [] : ['not an object, ignored'],
    };
  }
  const { value, changes } = sanitize(input);
  // A Date, for one, does not come out as a plain object.
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { value: {}, changes: [...changes, 'not an object, ignored'] };
  }
  return { value: value as Record<string, unknown>, changes };
}
