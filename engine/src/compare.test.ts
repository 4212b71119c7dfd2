import type { Comparison } from '@spoor/schemas';
import { describe, expect, it } from 'vitest';
import { createClock } from './clock.js';
import { compare } from './compare.js';
import { at, days } from './test-kit/index.js';
import type { Truth } from './truth.js';

const U = 'unknown';
const NOW = at('2024-05-15T12:00:00Z');
const CHINA = 480 * 60_000;

type Row = [Comparison, unknown, Truth];

const rows: Row[] = [
  [{ op: 'eq', value: 'a' }, 'a', true],
  [{ op: 'eq', value: 'a' }, 'b', false],
  [{ op: 'eq', value: 'a' }, 'A', false],
  [{ op: 'eq', value: 1 }, 1, true],
  [{ op: 'eq', value: 1 }, 2, false],
  [{ op: 'eq', value: true }, true, true],
  [{ op: 'eq', value: true }, false, false],
  [{ op: 'eq', value: 1 }, '1', U],
  [{ op: 'eq', value: '1' }, 1, U],
  [{ op: 'eq', value: 'true' }, true, U],
  [{ op: 'eq', value: 1 }, [1], U],
  [{ op: 'eq', value: 'a' }, { a: 1 }, U],
  [{ op: 'eq', value: 'a' }, undefined, U],
  [{ op: 'eq', value: 'a' }, null, U],
  [{ op: 'neq', value: 'a' }, 'b', true],
  [{ op: 'neq', value: 'a' }, 'a', false],
  [{ op: 'neq', value: 1 }, '1', U],
  [{ op: 'neq', value: 'a' }, undefined, U],
  [{ op: 'gt', value: 1 }, 2, true],
  [{ op: 'gt', value: 1 }, 1, false],
  [{ op: 'gt', value: 1 }, '2', U],
  [{ op: 'gte', value: 1 }, 1, true],
  [{ op: 'gte', value: 1 }, 0.999, false],
  [{ op: 'gte', value: 1 }, true, U],
  [{ op: 'lt', value: 1 }, 0, true],
  [{ op: 'lt', value: 1 }, 1, false],
  [{ op: 'lt', value: 1 }, null, U],
  [{ op: 'lte', value: 1 }, 1, true],
  [{ op: 'lte', value: 1 }, 1.001, false],
  [{ op: 'lte', value: 1 }, [0], U],
  [{ op: 'between', value: [1, 3] }, 1, true],
  [{ op: 'between', value: [1, 3] }, 2, true],
  [{ op: 'between', value: [1, 3] }, 3, true],
  [{ op: 'between', value: [1, 3] }, 0.999, false],
  [{ op: 'between', value: [1, 3] }, 3.001, false],
  [{ op: 'between', value: [1, 3] }, '2', U],
  [{ op: 'in', value: ['a', 'b'] }, 'a', true],
  [{ op: 'in', value: ['a', 'b'] }, 'c', false],
  [{ op: 'in', value: ['a', 'b'] }, 1, U],
  [{ op: 'in', value: [1, 'a'] }, 1, true],
  [{ op: 'in', value: [1, 'a'] }, 2, false],
  [{ op: 'in', value: [1, 2] }, '1', U],
  [{ op: 'in', value: [true] }, false, false],
  [{ op: 'in', value: ['a'] }, ['a'], U],
  [{ op: 'in', value: ['a'] }, undefined, U],
  [{ op: 'not_in', value: ['a', 'b'] }, 'c', true],
  [{ op: 'not_in', value: ['a', 'b'] }, 'a', false],
  [{ op: 'not_in', value: ['a', 'b'] }, 1, U],
  [{ op: 'not_in', value: ['a', 'b'] }, null, U],
  [{ op: 'has_any', value: ['a', 'b'] }, ['b', 'c'], true],
  [{ op: 'has_any', value: ['a', 'b'] }, ['c'], false],
  [{ op: 'has_any', value: ['a', 'b'] }, [], false],
  [{ op: 'has_any', value: [1] }, ['1'], false],
  [{ op: 'has_any', value: ['a', 'b'] }, 'a', U],
  [{ op: 'has_all', value: ['a', 'b'] }, ['a', 'b', 'c'], true],
  [{ op: 'has_all', value: ['a', 'b'] }, ['a'], false],
  [{ op: 'has_all', value: ['a', 'b'] }, 'ab', U],
  [{ op: 'has_none', value: ['a', 'b'] }, ['c'], true],
  [{ op: 'has_none', value: ['a', 'b'] }, [], true],
  [{ op: 'has_none', value: ['a', 'b'] }, ['c', 'a'], false],
  [{ op: 'has_none', value: ['a', 'b'] }, 5, U],
  [{ op: 'has_none', value: ['a', 'b'] }, undefined, U],
  [{ op: 'contains', value: 'ell' }, 'hello', true],
  [{ op: 'contains', value: 'ell' }, 'help', false],
  [{ op: 'contains', value: 'ELL' }, 'hello', false],
  [{ op: 'contains', value: 'ell' }, ['ell'], U],
  [{ op: 'contains', value: '1' }, 10, U],
  [{ op: 'not_contains', value: 'ell' }, 'help', true],
  [{ op: 'not_contains', value: 'ell' }, 'hello', false],
  [{ op: 'not_contains', value: 'ell' }, 5, U],
  [{ op: 'not_contains', value: 'ell' }, undefined, U],
  [{ op: 'starts_with', value: 'he' }, 'hello', true],
  [{ op: 'starts_with', value: 'he' }, 'ohe', false],
  [{ op: 'starts_with', value: 'He' }, 'hello', false],
  [{ op: 'starts_with', value: 'he' }, false, U],
  [{ op: 'ends_with', value: 'lo' }, 'hello', true],
  [{ op: 'ends_with', value: 'lo' }, 'lol', false],
  [{ op: 'ends_with', value: 'lo' }, {}, U],
  [{ op: 'exists' }, 'x', true],
  [{ op: 'exists' }, '', true],
  [{ op: 'exists' }, 0, true],
  [{ op: 'exists' }, false, true],
  [{ op: 'exists' }, [], true],
  [{ op: 'exists' }, null, false],
  [{ op: 'exists' }, undefined, false],
  [{ op: 'not_exists' }, undefined, true],
  [{ op: 'not_exists' }, null, true],
  [{ op: 'not_exists' }, 0, false],
  [{ op: 'not_exists' }, '', false],
];

describe('compare: every operator, value types and missing values', () => {
  it.each(rows)('%j on %j is %s', (comparison, actual, expected) => {
    expect(compare(actual, comparison, createClock(NOW, 0))).toBe(expected);
  });
});

describe('before and after: a date is a whole day, a date-time an instant', () => {
  it.each<[Comparison, unknown, number, Truth]>([
    [{ op: 'before', value: '2024-05-01' }, '2024-04-30T23:59:59.999Z', 0, true],
    [{ op: 'before', value: '2024-05-01' }, '2024-05-01T00:00:00Z', 0, false],
    [{ op: 'before', value: '2024-05-01' }, '2024-04-30', 0, true],
    [{ op: 'before', value: '2024-05-01' }, '2024-05-01', 0, false],
    [{ op: 'before', value: '2024-05-01' }, at('2024-04-30T12:00:00Z'), 0, true],
    [{ op: 'before', value: '2024-05-01' }, '2024-04-30T15:59:59.999Z', CHINA, true],
    [{ op: 'before', value: '2024-05-01' }, '2024-04-30T16:00:00Z', CHINA, false],
    [{ op: 'before', value: '2024-05-01T12:00:00Z' }, '2024-05-01T11:59:59.999Z', 0, true],
    [{ op: 'before', value: '2024-05-01T12:00:00Z' }, '2024-05-01T12:00:00Z', 0, false],
    [{ op: 'before', value: '2024-05-01T12:00:00+08:00' }, '2024-05-01T03:59:59Z', 0, true],
    [{ op: 'after', value: '2024-05-01' }, '2024-05-01T23:59:59.999Z', 0, false],
    [{ op: 'after', value: '2024-05-01' }, '2024-05-02T00:00:00Z', 0, true],
    [{ op: 'after', value: '2024-05-01' }, '2024-05-02', 0, true],
    [{ op: 'after', value: '2024-05-01' }, '2024-05-01', 0, false],
    [{ op: 'after', value: '2024-05-01' }, '2024-05-01T16:00:00Z', CHINA, true],
    [{ op: 'after', value: '2024-05-01' }, '2024-05-01T15:59:59.999Z', CHINA, false],
    [{ op: 'after', value: '2024-05-01T12:00:00Z' }, '2024-05-01T12:00:00.001Z', 0, true],
    [{ op: 'after', value: '2024-05-01T12:00:00Z' }, '2024-05-01T12:00:00Z', 0, false],
    [{ op: 'after', value: '2024-05-01T12:00:00Z' }, at('2024-06-01T00:00:00Z'), 0, true],
    [{ op: 'before', value: '2024-05-01' }, 'yesterday', 0, U],
    [{ op: 'after', value: '2024-05-01' }, true, 0, U],
    [{ op: 'after', value: '2024-05-01' }, undefined, 0, U],
  ])('%j on %j (offset %i) is %s', (comparison, actual, offset, expected) => {
    expect(compare(actual, comparison, createClock(NOW, offset))).toBe(expected);
  });
});

describe('within_last and not_within_last: the last N buckets before now', () => {
  // At 2024-05-15T12:00Z the last 7 days start 2024-05-09T00:00Z (UTC), or at 16:00Z in China.
  it.each<[Comparison['op'], unknown, number, Truth]>([
    ['within_last', '2024-05-09T00:00:00Z', 0, true],
    ['within_last', '2024-05-08T23:59:59.999Z', 0, false],
    ['within_last', NOW, 0, true],
    ['within_last', NOW + 1, 0, false],
    ['within_last', '2024-05-09', 0, true],
    ['within_last', '2024-05-08T16:00:00Z', CHINA, true],
    ['within_last', '2024-05-08T15:59:59.999Z', CHINA, false],
    ['within_last', 'soon', 0, U],
    ['within_last', undefined, 0, U],
    ['not_within_last', '2024-05-08T23:59:59.999Z', 0, true],
    ['not_within_last', '2024-05-09T00:00:00Z', 0, false],
    ['not_within_last', NOW, 0, false],
    ['not_within_last', NOW + 1, 0, false],
    ['not_within_last', '2024-05-08T15:59:59.999Z', CHINA, true],
    ['not_within_last', '2024-05-08T16:00:00Z', CHINA, false],
    ['not_within_last', false, 0, U],
  ])('%s 7 days: %j (offset %i) is %s', (op, actual, offset, expected) => {
    const comparison = { op, value: days(7) } as Comparison;
    expect(compare(actual, comparison, createClock(NOW, offset))).toBe(expected);
  });

  it.each<[unknown, number | null]>([
    // inside: it changes when it leaves the window, at the start of the 7th day after its own
    ['2024-05-10T10:00:00Z', at('2024-05-17T00:00:00Z')],
    // a future date: it changes when now reaches it
    [NOW + 3_600_000, NOW + 3_600_000],
    // long gone: nothing left to change
    ['2024-01-01T00:00:00Z', null],
    ['not a date', null],
  ])('for %j the next change is at %s', (actual, next) => {
    for (const op of ['within_last', 'not_within_last'] as const) {
      const clock = createClock(NOW, 0);
      compare(actual, { op, value: days(7) }, clock);
      expect(clock.nextChangeAt).toBe(next);
    }
  });
});
