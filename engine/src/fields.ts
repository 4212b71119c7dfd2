// Reading values out of events and traits, and the scalar values tags hold.

/** A value a tag can hold and an aggregate can collect: a string, a finite number, a boolean. */
export type Scalar = string | number | boolean;

/** Whether `value` is a scalar. Non-finite numbers cannot come from JSON and are not scalars. */
export function isScalar(value: unknown): value is Scalar {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/** Whether a value is there at all: `null` is how JSON says "no value", like a missing key. */
export function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** A dotted field path (`order.total`) as its parts. */
export function splitPath(path: string): string[] {
  return path.split('.');
}

/**
 * The value at `path` inside `source`, or undefined. Only own properties of plain objects are
 * followed (never arrays or prototypes), so a path like `toString` finds nothing.
 */
export function getPath(source: unknown, path: readonly string[]): unknown {
  let current: unknown = source;
  for (const part of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/**
 * A scalar as a string key that keeps its type: `'s42'` (the string) and `'n42'` (the number)
 * are different values in a distinct count.
 */
export function encodeScalar(value: Scalar): string {
  if (typeof value === 'string') return `s${value}`;
  if (typeof value === 'number') return `n${value}`;
  return value ? 'b1' : 'b0';
}

/** The scalar an `encodeScalar` key stands for. */
export function decodeScalar(key: string): Scalar {
  const body = key.slice(1);
  if (key.startsWith('n')) return Number(body);
  if (key.startsWith('b')) return body === '1';
  return body;
}
