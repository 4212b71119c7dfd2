import type { Condition, EventMatch } from '@spoor/schemas';
import { describe, expect, it } from 'vitest';
import { MAX_TIMES } from './limits.js';
import type { EngineEvent } from './event.js';
import {
  at,
  compiled,
  days,
  evaluateAfter,
  hours,
  minutes,
  segment,
  track,
} from './test-kit/index.js';
import type { Truth } from './truth.js';

const NOW = at('2024-05-15T12:00:00Z');

function member(
  condition: Condition,
  events: EngineEvent[],
  dayOffsetMinutes = 0,
): Truth | undefined {
  const set = compiled({ segments: { s: segment(condition) } }, { dayOffsetMinutes });
  return evaluateAfter(set, events, NOW).segments['s'];
}

const today = (time: string) => at(`2024-05-15T${time}Z`);
const events = (name: string, times: number[]) => times.map((t) => track(name, t));

describe('did: a count in the window within [atLeast ?? 1, atMost ?? ∞]', () => {
  it.each<[number | undefined, number | undefined, number, boolean]>([
    [undefined, undefined, 0, false],
    [undefined, undefined, 1, true],
    [undefined, undefined, 5, true],
    [3, undefined, 2, false],
    [3, undefined, 3, true],
    [undefined, 2, 0, true],
    [undefined, 2, 2, true],
    [undefined, 2, 3, false],
    [0, undefined, 0, true],
    [0, 0, 0, true],
    [0, 0, 1, false],
    [2, 3, 1, false],
    [2, 3, 2, true],
    [2, 3, 3, true],
    [2, 3, 4, false],
  ])('atLeast %s, atMost %s, done %i times: %s', (atLeast, atMost, count, expected) => {
    const condition = { did: { event: 'Search' }, within: days(7), atLeast, atMost };
    const done = events(
      'Search',
      Array.from({ length: count }, (_, i) => NOW - i * 60_000),
    );
    expect(member(condition, done)).toBe(expected);
  });

  it.each<[string, number, string, boolean]>([
    ['days(7)', 0, '2024-05-09T00:00:00.000Z', true],
    ['days(7)', 0, '2024-05-08T23:59:59.999Z', false],
    ['days(7)', 480, '2024-05-08T16:00:00.000Z', true],
    ['days(7)', 480, '2024-05-08T15:59:59.999Z', false],
    ['hours(3)', 0, '2024-05-15T10:00:00.000Z', true],
    ['hours(3)', 0, '2024-05-15T09:59:59.999Z', false],
    ['minutes(30)', 0, '2024-05-15T11:31:00.000Z', true],
    ['minutes(30)', 0, '2024-05-15T11:30:59.999Z', false],
  ])('within %s (offset %i min), an event at %s counts: %s', (label, offset, time, expected) => {
    const within = { 'days(7)': days(7), 'hours(3)': hours(3), 'minutes(30)': minutes(30) }[label]!;
    expect(member({ did: { event: 'Search' }, within }, [track('Search', at(time))], offset)).toBe(
      expected,
    );
  });

  it('matches property filters; a filter on a missing property does not match', () => {
    const match: EventMatch = {
      event: 'Search',
      where: [{ property: 'route', op: 'eq', value: 'SHA-CTU' }],
    };
    const condition = { did: match, within: days(7) };
    expect(member(condition, [track('Search', NOW, { route: 'SHA-CTU' })])).toBe(true);
    expect(member(condition, [track('Search', NOW, { route: 'SHA-PEK' })])).toBe(false);
    expect(member(condition, [track('Search', NOW)])).toBe(false);
    expect(member(condition, [track('Order', NOW, { route: 'SHA-CTU' })])).toBe(false);
  });

  it('counts all time with "all"', () => {
    const old = [track('Search', at('2000-01-01T00:00:00Z'))];
    expect(member({ did: { event: 'Search' }, within: 'all' }, old)).toBe(true);
  });
});

describe('did … notFollowedBy: some X in the window not followed by Y within T', () => {
  const condition: Condition = {
    did: { event: 'Product Added' },
    notFollowedBy: { event: 'Order Completed' },
    followWithin: hours(2),
    within: days(2),
  };
  it.each<[string, number[], number[], boolean]>([
    ['nothing done', [], [], false],
    ['added, deadline still open: counts at once', [today('10:00:00')], [], true],
    ['added, ordered an hour later', [today('10:00:00')], [today('11:00:00')], false],
    ['ordered exactly at the deadline', [today('10:00:00')], [today('12:00:00')], false],
    ['ordered 1 ms after the deadline', [today('09:00:00')], [today('11:00:00.001')], true],
    ['ordered at the same instant (not after)', [today('10:00:00')], [today('10:00:00')], true],
    ['ordered only before adding', [today('10:00:00')], [today('09:00:00')], true],
    ['second add not followed', [today('09:00:00'), today('10:00:00')], [today('09:30:00')], true],
    [
      'one order follows both adds',
      [today('09:00:00'), today('10:00:00')],
      [today('10:30:00')],
      false,
    ],
    ['added at the window start', [at('2024-05-14T00:00:00Z')], [], true],
    ['added 1 ms before the window', [at('2024-05-13T23:59:59.999Z')], [], false],
    ['followed across midnight', [at('2024-05-14T23:30:00Z')], [at('2024-05-15T00:30:00Z')], false],
  ])('%s', (_, adds, orders, expected) => {
    const done = [...events('Product Added', adds), ...events('Order Completed', orders)];
    expect(member(condition, done)).toBe(expected);
    expect(member(condition, [...done].reverse())).toBe(expected);
  });
});

describe('sequence: steps strictly in order, all within completeWithin of the first', () => {
  const condition: Condition = {
    sequence: [{ event: 'Search' }, { event: 'View' }, { event: 'Book' }],
    completeWithin: hours(1),
    within: days(1),
  };
  it.each<[string, [string, number][], boolean]>([
    [
      'in order',
      [
        ['Search', today('10:00:00')],
        ['View', today('10:10:00')],
        ['Book', today('10:20:00')],
      ],
      true,
    ],
    [
      'out of order',
      [
        ['Search', today('10:00:00')],
        ['Book', today('10:20:00')],
        ['View', today('10:30:00')],
      ],
      false,
    ],
    [
      'completed exactly at the limit',
      [
        ['Search', today('10:00:00')],
        ['View', today('10:10:00')],
        ['Book', today('11:00:00')],
      ],
      true,
    ],
    [
      'completed 1 ms late',
      [
        ['Search', today('10:00:00')],
        ['View', today('10:10:00')],
        ['Book', today('11:00:00.001')],
      ],
      false,
    ],
    [
      'two steps at one instant',
      [
        ['Search', today('10:00:00')],
        ['View', today('10:00:00')],
        ['Book', today('10:20:00')],
      ],
      false,
    ],
    [
      'a later start completes',
      [
        ['Search', today('10:00:00')],
        ['Search', today('10:30:00')],
        ['View', today('10:40:00')],
        ['Book', today('11:20:00')],
      ],
      true,
    ],
    [
      'a step missing',
      [
        ['Search', today('10:00:00')],
        ['Book', today('10:20:00')],
      ],
      false,
    ],
    [
      'first step before the window',
      [
        ['Search', at('2024-05-14T23:50:00Z')],
        ['View', today('00:05:00')],
        ['Book', today('00:10:00')],
      ],
      false,
    ],
    [
      'first step at the window start',
      [
        ['Search', today('00:00:00')],
        ['View', today('00:05:00')],
        ['Book', today('00:10:00')],
      ],
      true,
    ],
  ])('%s', (_, steps, expected) => {
    const done = steps.map(([name, t]) => track(name, t));
    expect(member(condition, done)).toBe(expected);
    expect(member(condition, [...done].reverse())).toBe(expected);
  });

  it.each<[number[], boolean]>([
    [[today('10:00:00')], false],
    [[today('10:00:00'), today('10:30:00')], true],
  ])('a step may repeat an event: A at %j then A', (times, expected) => {
    const twice: Condition = {
      sequence: [{ event: 'A' }, { event: 'A' }],
      completeWithin: hours(1),
      within: days(1),
    };
    expect(member(twice, events('A', times))).toBe(expected);
  });
});

describe('inactive: no matching event in the window', () => {
  it.each<[string, boolean | undefined, number[], number, boolean]>([
    ['never, orNever by default', undefined, [], 0, true],
    ['never, orNever true', true, [], 0, true],
    ['never, orNever false', false, [], 0, false],
    ['last 1 ms before the window', undefined, [at('2024-05-08T23:59:59.999Z')], 0, true],
    ['last at the window start', undefined, [at('2024-05-09T00:00:00Z')], 0, false],
    ['last at the window start, orNever false', false, [at('2024-05-09T00:00:00Z')], 0, false],
    ['long ago, orNever false', false, [at('2024-01-01T00:00:00Z')], 0, true],
    ['last in China before the window', undefined, [at('2024-05-08T15:59:59.999Z')], 480, true],
    ['last in China at the window start', undefined, [at('2024-05-08T16:00:00Z')], 480, false],
    ['last in the future', undefined, [NOW + 60_000], 0, false],
  ])('%s (orNever %s): %s', (_, orNever, times, offset, expected) => {
    const condition = { inactive: { event: 'Order' }, for: days(7), orNever };
    expect(member(condition, events('Order', times), offset)).toBe(expected);
  });
});

describe('occurrence caps', () => {
  it('marks a condition approximate when its window reaches dropped occurrences', () => {
    const condition: Condition = {
      did: { event: 'A' },
      notFollowedBy: { event: 'B' },
      followWithin: minutes(1),
      within: 'all',
    };
    const set = compiled({ segments: { s: segment(condition) } });
    const many = events(
      'A',
      Array.from({ length: MAX_TIMES + 10 }, (_, i) => NOW - i * 1000),
    );
    expect(evaluateAfter(set, many, NOW).approximate.segments).toEqual(['s']);
    expect(evaluateAfter(set, many.slice(0, 10), NOW).approximate.segments).toEqual([]);
  });
});
