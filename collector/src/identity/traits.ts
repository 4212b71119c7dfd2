/**
 * Profile traits as a mergeable state: each key holds registers that combine the same way
 * whatever order operations (or whole profiles) arrive in. `t` is the event time and `m` its
 * messageId, the tie-breaker. The rules, for docs/identity.md:
 * - `set` / `unset`: the latest operation wins (an unset is a set to nothing);
 * - `setOnce`: the earliest value wins, shown while the key has no `set` value;
 * - `increment`: a counter; every increment adds up, on top of a numeric set/setOnce value;
 * - `append` / `union`: list elements in event order (union keeps each value once), after the
 *   elements of an array set/setOnce value; the newest {@link MAX_LIST} are kept.
 */
export type TraitState = Record<string, KeyState>;

type Stamp = [t: number, m: string];
/** One key's registers. */
export interface KeyState {
  /** Latest set (`d` true for an unset). */
  s?: { t: number; m: string; v: unknown; d?: true };
  /** Earliest setOnce. */
  o?: { t: number; m: string; v: unknown };
  /** Sum of increments. */
  i?: number;
  /** Appended elements: time, messageId, position in the operation, value. */
  l?: [number, string, number, unknown][];
  /** The list keeps each value once. */
  u?: true;
}

/** The most list elements a trait keeps. */
export const MAX_LIST = 1000;

/** Profile operations as carried by identify (`traits` are `set`). */
export interface ProfileOps {
  set?: Record<string, unknown>;
  setOnce?: Record<string, unknown>;
  increment?: Record<string, number>;
  append?: Record<string, unknown[]>;
  union?: Record<string, unknown[]>;
  unset?: string[];
}

const later = (a: Stamp, b: Stamp) => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);

/** The state one identify's operations describe. */
export function stateOfOps(ops: ProfileOps, t: number, m: string): TraitState {
  const state: TraitState = Object.create(null) as TraitState;
  const key = (k: string) => (state[k] ??= {});
  for (const [k, v] of Object.entries(ops.setOnce ?? {})) key(k).o = { t, m, v };
  for (const [k, v] of Object.entries(ops.set ?? {})) key(k).s = { t, m, v };
  for (const k of ops.unset ?? []) key(k).s = { t, m, v: null, d: true };
  for (const [k, d] of Object.entries(ops.increment ?? {})) key(k).i = (key(k).i ?? 0) + d;
  for (const [list, unique] of [
    [ops.append, false],
    [ops.union, true],
  ] as const) {
    for (const [k, values] of Object.entries(list ?? {})) {
      const s = key(k);
      const base = s.l?.length ?? 0;
      s.l = [
        ...(s.l ?? []),
        ...values.map((v, n) => [t, m, base + n, v] as [number, string, number, unknown]),
      ];
      if (unique) s.u = true;
    }
  }
  return state;
}

/** Combines two states; commutative and associative, so merge order never matters. */
export function mergeTraits(a: TraitState, b: TraitState): TraitState {
  const out: TraitState = Object.create(null) as TraitState;
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[k];
    const y = b[k];
    out[k] = x === undefined ? (y as KeyState) : y === undefined ? x : mergeKey(x, y);
  }
  return out;
}

function mergeKey(x: KeyState, y: KeyState): KeyState {
  const out: KeyState = {};
  const s = x.s && y.s ? (later([y.s.t, y.s.m], [x.s.t, x.s.m]) ? y.s : x.s) : (x.s ?? y.s);
  if (s) out.s = s;
  const o = x.o && y.o ? (later([x.o.t, x.o.m], [y.o.t, y.o.m]) ? y.o : x.o) : (x.o ?? y.o);
  if (o) out.o = o;
  if (x.i !== undefined || y.i !== undefined) out.i = (x.i ?? 0) + (y.i ?? 0);
  if (x.l || y.l) out.l = [...(x.l ?? []), ...(y.l ?? [])].sort(byElement).slice(-MAX_LIST);
  if (x.u || y.u) out.u = true;
  return out;
}

function byElement(a: [number, string, number, unknown], b: [number, string, number, unknown]) {
  return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) || a[2] - b[2];
}

/** The traits a profile shows. */
export function renderTraits(state: TraitState): Record<string, unknown> {
  const traits: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [k, s] of Object.entries(state)) {
    if (s.s?.d) continue;
    let value = s.s ? s.s.v : s.o?.v;
    if (s.i !== undefined) value = (typeof value === 'number' ? value : 0) + s.i;
    if (s.l) {
      const base: unknown[] = Array.isArray(value) ? (value as unknown[]) : [];
      const items = [...base, ...s.l.map((e) => e[3])];
      value = s.u ? unique(items) : items;
    }
    if (value !== undefined) traits[k] = value;
  }
  return { ...traits };
}

function unique(items: unknown[]): unknown[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = JSON.stringify(item);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
