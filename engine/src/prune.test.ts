import { describe, expect, it } from 'vitest';
import type { Compiled } from './compiled.js';
import { prune } from './prune.js';
import { at, compiled, DAY, days, hours, replay, segment, tag, track } from './test-kit/index.js';

const NOW = at('2024-05-15T12:00:00Z');

const set = compiled({
  tags: {
    week: tag({
      kind: 'fact',
      event: 'Order',
      aggregate: 'sum',
      property: 'total',
      window: days(7),
    }),
  },
  segments: {
    abandoned: segment({
      did: { event: 'Cart' },
      notFollowedBy: { event: 'Order' },
      followWithin: hours(1),
      within: days(1),
    }),
  },
});
const keyOf = (target: Compiled, event: string) =>
  [...target.streams.values()].find((s) => s.match.event === event)?.key ?? '';

describe('prune', () => {
  const state = replay(set, [
    track('Order', NOW - 6 * DAY, { total: 1 }),
    track('Order', NOW - 2 * DAY, { total: 2 }),
    track('Cart', NOW - 2 * 3_600_000),
    track('Cart', NOW - 60_000),
  ]);

  it('returns the very state when nothing can go', () => {
    const fresh = replay(set, [track('Order', NOW, { total: 1 }), track('Cart', NOW)]);
    expect(prune(set, fresh, NOW)).toBe(fresh);
    const pruned = prune(set, state, NOW);
    expect(pruned).not.toBe(state); // the order 2 days ago is too old for the 1-day window
    expect(prune(set, pruned, NOW)).toBe(pruned);
  });

  it('drops buckets and times the windows have left behind', () => {
    const later = prune(set, state, NOW + 3 * DAY);
    const order = later.streams[keyOf(set, 'Order')];
    expect(Object.keys(order?.feeds?.['total']?.days ?? {})).toHaveLength(1);
    expect(later.streams[keyOf(set, 'Cart')]?.times).toBeUndefined();
    expect(later.streams[keyOf(set, 'Cart')]?.last).toBe(NOW - 60_000);
    expect(state.streams[keyOf(set, 'Cart')]?.times).toHaveLength(2);
  });

  it('drops streams, feeds and granularities no definition reads any more', () => {
    const edited = compiled({
      tags: { total: tag({ kind: 'fact', event: 'Order', aggregate: 'count', window: 'all' }) },
    });
    expect(prune(edited, state, NOW)).toEqual({
      v: 1,
      streams: { [keyOf(edited, 'Order')]: { first: NOW - 6 * DAY, last: NOW - 2 * DAY } },
    });
  });
});
