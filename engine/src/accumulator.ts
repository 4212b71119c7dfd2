// Adding one event to an accumulator, and summing the accumulators of a window. Accumulators are
// never changed in place: adding returns a new one, so an applied event leaves its input intact.
import type { Scalar } from './fields.js';
import { MAX_VALUES } from './limits.js';
import type { Accumulator } from './state.js';

/** Which fields an accumulator keeps, the union of what its definitions aggregate. */
export interface Needs {
  sum: boolean;
  min: boolean;
  max: boolean;
  first: boolean;
  last: boolean;
  values: boolean;
}

/** Needs nothing beyond the count. */
export function noNeeds(): Needs {
  return { sum: false, min: false, max: false, first: false, last: false, values: false };
}

/** `acc` with one more event at `t` carrying `value` (undefined for the events themselves). */
export function accumulate(
  acc: Accumulator | undefined,
  t: number,
  value: Scalar | undefined,
  key: string | undefined,
  needs: Needs,
): Accumulator {
  const next: Accumulator = acc ? { ...acc, n: acc.n + 1 } : { n: 1 };
  if (typeof value === 'number') {
    if (needs.sum) {
      next.s = (next.s ?? 0) + value;
      next.c = (next.c ?? 0) + 1;
    }
    if (needs.min && (next.lo === undefined || value < next.lo)) next.lo = value;
    if (needs.max && (next.hi === undefined || value > next.hi)) next.hi = value;
  }
  if (needs.first && (next.ft === undefined || t < next.ft)) {
    next.ft = t;
    if (value !== undefined) next.fv = value;
  }
  if (needs.last && (next.lt === undefined || t >= next.lt)) {
    next.lt = t;
    if (value !== undefined) next.lv = value;
  }
  if (needs.values && key !== undefined) addValue(next, key, t);
  return next;
}

function addValue(acc: Accumulator, key: string, t: number): void {
  const seen = acc.vs?.[key];
  if (seen) {
    acc.vs = { ...acc.vs, [key]: [seen[0] + 1, Math.max(seen[1], t)] };
  } else if (Object.keys(acc.vs ?? {}).length < MAX_VALUES) {
    acc.vs = { ...acc.vs, [key]: [1, t] };
  } else {
    acc.vx = 1;
  }
}

/** The aggregates of several accumulators together (the buckets of a window). */
export interface Summary {
  n: number;
  s: number;
  c: number;
  lo?: number;
  hi?: number;
  ft?: number;
  fv?: Scalar;
  lt?: number;
  lv?: Scalar;
  /** Per value key: count and last time. */
  values: Map<string, [count: number, last: number]>;
  /** Some accumulator dropped values (its value map was full). */
  approximate: boolean;
}

/** The summary of `accs`. */
export function summarise(accs: Iterable<Accumulator>): Summary {
  const sum: Summary = { n: 0, s: 0, c: 0, values: new Map(), approximate: false };
  for (const acc of accs) {
    sum.n += acc.n;
    sum.s += acc.s ?? 0;
    sum.c += acc.c ?? 0;
    if (acc.lo !== undefined && (sum.lo === undefined || acc.lo < sum.lo)) sum.lo = acc.lo;
    if (acc.hi !== undefined && (sum.hi === undefined || acc.hi > sum.hi)) sum.hi = acc.hi;
    if (acc.ft !== undefined && (sum.ft === undefined || acc.ft < sum.ft)) {
      sum.ft = acc.ft;
      sum.fv = acc.fv;
    }
    if (acc.lt !== undefined && (sum.lt === undefined || acc.lt >= sum.lt)) {
      sum.lt = acc.lt;
      sum.lv = acc.lv;
    }
    for (const [key, [count, last]] of Object.entries(acc.vs ?? {})) {
      const seen = sum.values.get(key);
      sum.values.set(key, seen ? [seen[0] + count, Math.max(seen[1], last)] : [count, last]);
    }
    if (acc.vx) sum.approximate = true;
  }
  return sum;
}
