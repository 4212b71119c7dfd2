import type { Aggregate, Duration, Window } from '@spoor/schemas';
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { MAX_VALUES } from './limits.js';
import {
  at,
  compiled,
  days,
  evaluateAfter,
  hours,
  minutes,
  profile,
  replay,
  tag,
  track,
} from './test-kit/index.js';
import type { TagValue } from './context.js';

const NOW = at('2024-05-15T12:00:00Z');
const CHINA = 480;

function factTag(aggregate: Aggregate, property?: string, window: Window = days(30)) {
  return tag({ kind: 'fact', event: 'Order Completed', aggregate, property, window });
}

function valueOf(
  aggregate: Aggregate,
  property: string | undefined,
  events: ReturnType<typeof track>[],
  window: Window = days(30),
  dayOffsetMinutes = 0,
): TagValue | undefined {
  const set = compiled({ tags: { t: factTag(aggregate, property, window) } }, { dayOffsetMinutes });
  return evaluateAfter(set, events, NOW).tags['t'];
}

const orders = [
  track('Order Completed', at('2024-05-01T10:00:00Z'), { revenue: 10, size: 'M' }),
  track('Order Completed', at('2024-05-10T10:00:00Z'), { revenue: 30, size: 'L', coupon: 'X' }),
  track('Order Completed', at('2024-05-12T10:00:00Z'), { revenue: 'n/a', size: 'M' }),
  track('Order Completed', at('2024-05-14T10:00:00Z'), { revenue: 20, size: 'L', coupon: 'Y' }),
  track('Product Viewed', at('2024-05-14T11:00:00Z'), { revenue: 1000, size: 'S' }),
];

describe('fact tags: every aggregate', () => {
  it.each<[Aggregate, string | undefined, TagValue]>([
    ['count', undefined, 4],
    ['count', 'revenue', 4],
    ['count', 'coupon', 2],
    ['sum', 'revenue', 60],
    ['avg', 'revenue', 20],
    ['min', 'revenue', 10],
    ['max', 'revenue', 30],
    ['first_value', 'revenue', 10],
    ['last_value', 'revenue', 20],
    ['last_value', 'coupon', 'Y'],
    ['first_time', undefined, at('2024-05-01T10:00:00Z')],
    ['first_time', 'coupon', at('2024-05-10T10:00:00Z')],
    ['last_time', undefined, at('2024-05-14T10:00:00Z')],
    ['distinct_count', 'size', 2],
    ['distinct_count', 'revenue', 4],
    ['most_frequent', 'size', 'L'],
  ])('%s of %s is %j', (aggregate, property, expected) => {
    expect(valueOf(aggregate, property, orders)).toBe(expected);
  });

  it.each<[Aggregate, TagValue]>([
    ['count', 0],
    ['sum', 0],
    ['distinct_count', 0],
    ['avg', null],
    ['min', null],
    ['max', null],
    ['first_value', null],
    ['last_value', null],
    ['first_time', null],
    ['last_time', null],
    ['most_frequent', null],
  ])('with no matching events, %s is %j', (aggregate, expected) => {
    expect(valueOf(aggregate, 'revenue', [])).toBe(expected);
  });

  it.each<[Aggregate, TagValue]>([
    ['count', 2],
    ['sum', 0],
    ['avg', null],
    ['min', null],
    ['max', null],
    ['first_value', 'free'],
    ['last_value', true],
    ['distinct_count', 2],
  ])('non-numeric values: %s is %j', (aggregate, expected) => {
    const events = [
      track('Order Completed', at('2024-05-14T10:00:00Z'), { revenue: 'free' }),
      track('Order Completed', at('2024-05-14T11:00:00Z'), { revenue: true }),
      track('Order Completed', at('2024-05-14T12:00:00Z'), { revenue: { amount: 1 } }),
      track('Order Completed', at('2024-05-14T12:00:00Z'), { revenue: [1, 2] }),
      track('Order Completed', at('2024-05-14T12:00:00Z'), { revenue: null }),
      track('Order Completed', at('2024-05-14T12:00:00Z')),
    ];
    expect(valueOf(aggregate, 'revenue', events)).toBe(expected);
  });
});

describe('most_frequent: ties go to the value seen last, then the smallest', () => {
  const day = (hour: number) => at(`2024-05-14T${String(hour).padStart(2, '0')}:00:00Z`);
  it.each<[string, [unknown, number][], TagValue]>([
    [
      'a clear winner',
      [
        ['A', day(1)],
        ['B', day(2)],
        ['A', day(3)],
      ],
      'A',
    ],
    [
      'a tie, B seen last',
      [
        ['A', day(1)],
        ['B', day(2)],
      ],
      'B',
    ],
    [
      'a tie, A seen last',
      [
        ['B', day(1)],
        ['A', day(2)],
      ],
      'A',
    ],
    [
      'a tie, applied late',
      [
        ['B', day(2)],
        ['A', day(1)],
      ],
      'B',
    ],
    [
      'a tie at the same instant',
      [
        ['B', day(1)],
        ['A', day(1)],
      ],
      'A',
    ],
    [
      'a tie across day buckets',
      [
        ['A', at('2024-05-11T05:00:00Z')],
        ['B', at('2024-05-12T05:00:00Z')],
        ['A', at('2024-05-14T05:00:00Z')],
        ['B', at('2024-05-14T03:00:00Z')],
      ],
      'A',
    ],
    ['numbers stay numbers', [[7, day(1)]], 7],
    ['booleans stay booleans', [[false, day(1)]], false],
  ])('%s', (_, values, expected) => {
    const events = values.map(([size, t]) => track('Order Completed', t, { size }));
    expect(valueOf('most_frequent', 'size', events)).toBe(expected);
  });

  it('keeps the number 1 and the string "1" apart', () => {
    const events = [1, '1', 1].map((size, i) => track('Order Completed', NOW - i, { size }));
    expect(valueOf('distinct_count', 'size', events)).toBe(2);
    expect(valueOf('most_frequent', 'size', events)).toBe(1);
  });
});

describe('fact tag windows: the current bucket and the N − 1 before', () => {
  // now = 2024-05-15T12:00:00Z
  it.each<[Duration, number, string, boolean]>([
    [days(7), 0, '2024-05-09T00:00:00.000Z', true],
    [days(7), 0, '2024-05-08T23:59:59.999Z', false],
    [days(7), 0, '2024-05-09T00:00:00.001Z', true],
    [days(1), 0, '2024-05-15T00:00:00.000Z', true],
    [days(1), 0, '2024-05-14T23:59:59.999Z', false],
    [days(7), CHINA, '2024-05-08T16:00:00.000Z', true],
    [days(7), CHINA, '2024-05-08T15:59:59.999Z', false],
    [days(1), CHINA, '2024-05-14T16:00:00.000Z', true],
    [days(1), CHINA, '2024-05-14T15:59:59.999Z', false],
    [hours(2), 0, '2024-05-15T11:00:00.000Z', true],
    [hours(2), 0, '2024-05-15T10:59:59.999Z', false],
    [minutes(5), 0, '2024-05-15T11:56:00.000Z', true],
    [minutes(5), 0, '2024-05-15T11:55:59.999Z', false],
    [minutes(1), 0, '2024-05-15T12:00:00.000Z', true],
    [days(1), 0, '2024-05-15T12:00:00.001Z', true],
    [days(1), 0, '2024-05-20T00:00:00.000Z', true],
  ])('in %j (offset %i min) an event at %s counts: %s', (window, offset, time, counted) => {
    const events = [track('Order Completed', at(time), { revenue: 5 })];
    expect(valueOf('count', undefined, events, window, offset)).toBe(counted ? 1 : 0);
    expect(valueOf('sum', 'revenue', events, window, offset)).toBe(counted ? 5 : 0);
  });

  it('counts all time with window "all"', () => {
    const events = [
      track('Order Completed', at('2014-05-15T12:00:00Z')),
      track('Order Completed', NOW),
    ];
    expect(valueOf('count', undefined, events, 'all')).toBe(2);
  });

  it('gives the same state and results whatever order the events arrive in', () => {
    const set = compiled({
      tags: Object.fromEntries(
        (['count', 'sum', 'min', 'max', 'first_value', 'last_value', 'most_frequent'] as const).map(
          (aggregate) => [
            aggregate,
            factTag(aggregate, aggregate === 'count' ? undefined : 'revenue', days(30)),
          ],
        ),
      ),
    });
    const inOrder = replay(set, orders);
    const shuffled = replay(
      set,
      [orders[3], orders[0], orders[4], orders[2], orders[1]].map((e) => e!),
    );
    expect(shuffled).toEqual(inOrder);
    expect(evaluate(set, shuffled, profile(), NOW)).toEqual(evaluate(set, inOrder, profile(), NOW));
  });
});

describe('caps', () => {
  it('counts at most MAX_VALUES distinct values, and says the result is approximate', () => {
    const set = compiled({ tags: { sizes: factTag('distinct_count', 'size', 'all') } });
    const events = Array.from({ length: MAX_VALUES + 5 }, (_, i) =>
      track('Order Completed', NOW - i, { size: `s${i}` }),
    );
    const result = evaluateAfter(set, events, NOW);
    expect(result.tags['sizes']).toBe(MAX_VALUES);
    expect(result.approximate).toEqual({ tags: ['sizes'], segments: [] });
  });

  it('is exact below the cap', () => {
    const set = compiled({ tags: { sizes: factTag('distinct_count', 'size', 'all') } });
    const events = [track('Order Completed', NOW, { size: 'M' })];
    expect(evaluateAfter(set, events, NOW).approximate).toEqual({ tags: [], segments: [] });
  });
});
