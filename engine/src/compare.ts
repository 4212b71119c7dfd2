// The comparison operators of trait, tag and property conditions. A value of the wrong type
// (a string compared with `gt`, a number with `contains`) compares as unknown, never as false:
// the data is odd, not a mismatch. Only `exists` and `not_exists` always give an answer.
import type { Comparison } from '@spoor/schemas';
import type { Clock } from './clock.js';
import { parseIsoDate, toTime } from './dates.js';
import { isPresent, isScalar } from './fields.js';
import { leavesWindowAt, windowStart } from './time.js';
import { not, type Truth } from './truth.js';

const DAY_MS = 86_400_000;

/** How `actual` compares by `comparison`, at the clock's `now` (for within_last). */
export function compare(actual: unknown, comparison: Comparison, clock: Clock): Truth {
  if (comparison.op === 'exists') return isPresent(actual);
  if (comparison.op === 'not_exists') return !isPresent(actual);
  if (!isPresent(actual)) return 'unknown';
  switch (comparison.op) {
    case 'eq':
      return equals(actual, comparison.value);
    case 'neq':
      return not(equals(actual, comparison.value));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return typeof actual === 'number'
        ? order(actual, comparison.op, comparison.value)
        : 'unknown';
    case 'between': {
      const [low, high] = comparison.value;
      return typeof actual === 'number' ? low <= actual && actual <= high : 'unknown';
    }
    case 'in':
      return isIn(actual, comparison.value);
    case 'not_in':
      return not(isIn(actual, comparison.value));
    case 'has_any':
    case 'has_all':
    case 'has_none':
      return Array.isArray(actual) ? hasItems(actual, comparison.op, comparison.value) : 'unknown';
    case 'contains':
    case 'not_contains':
    case 'starts_with':
    case 'ends_with':
      return typeof actual === 'string' ? text(actual, comparison.op, comparison.value) : 'unknown';
    case 'before':
    case 'after':
      return beforeAfter(actual, comparison.op, comparison.value, clock.offsetMs);
    case 'within_last':
    case 'not_within_last':
      return withinLast(actual, comparison, clock);
  }
}

/** Equality of scalars of one type; across types (1 vs '1') it is unknown. */
function equals(actual: unknown, expected: string | number | boolean): Truth {
  return typeof actual === typeof expected ? actual === expected : 'unknown';
}

function order(actual: number, op: 'gt' | 'gte' | 'lt' | 'lte', value: number): boolean {
  if (op === 'gt') return actual > value;
  if (op === 'gte') return actual >= value;
  if (op === 'lt') return actual < value;
  return actual <= value;
}

/**
 * Membership of a scalar in a list. A value found is in; a value not found is out, unless the
 * list holds nothing of its type (a number tested against a list of strings): that is unknown.
 */
function isIn(actual: unknown, list: readonly (string | number | boolean)[]): Truth {
  if (!isScalar(actual)) return 'unknown';
  if (list.includes(actual)) return true;
  return list.some((item) => typeof item === typeof actual) ? false : 'unknown';
}

function hasItems(
  actual: readonly unknown[],
  op: 'has_any' | 'has_all' | 'has_none',
  list: readonly (string | number | boolean)[],
): boolean {
  if (op === 'has_all') return list.every((item) => actual.includes(item));
  const any = list.some((item) => actual.includes(item));
  return op === 'has_any' ? any : !any;
}

function text(
  actual: string,
  op: 'contains' | 'not_contains' | 'starts_with' | 'ends_with',
  value: string,
): boolean {
  if (op === 'contains') return actual.includes(value);
  if (op === 'not_contains') return !actual.includes(value);
  if (op === 'starts_with') return actual.startsWith(value);
  return actual.endsWith(value);
}

/**
 * A date names a whole day: `before: '2024-05-01'` is earlier than that day, `after` is later
 * than all of it (from 2 May). A date-time names an instant, compared strictly.
 */
function beforeAfter(
  actual: unknown,
  op: 'before' | 'after',
  value: string,
  offsetMs: number,
): Truth {
  const time = toTime(actual, offsetMs);
  const bound = parseIsoDate(value, offsetMs);
  if (time === undefined || bound === undefined) return 'unknown';
  if (op === 'before') return time < bound.time;
  return bound.dateOnly ? time >= bound.time + DAY_MS : time > bound.time;
}

/**
 * `within_last` holds for a date inside the window (whole calendar buckets, as for events) and
 * not after now; `not_within_last` for a date before the window. A future date is neither: a
 * renewal date next month was not "in the last 30 days", nor "more than 30 days ago".
 */
function withinLast(
  actual: unknown,
  comparison: Extract<Comparison, { op: 'within_last' | 'not_within_last' }>,
  clock: Clock,
): Truth {
  const time = toTime(actual, clock.offsetMs);
  if (time === undefined) return 'unknown';
  clock.noteChange(time);
  clock.noteChange(leavesWindowAt(time, comparison.value, clock.offsetMs));
  const start = windowStart(clock.now, comparison.value, clock.offsetMs);
  if (comparison.op === 'within_last') return time >= start && time <= clock.now;
  return time < start;
}
