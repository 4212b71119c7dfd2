import type { Condition } from '@spoor/schemas';
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { emptyState } from './state.js';
import {
  at,
  compiled,
  days,
  evaluateAfter,
  profile,
  replay,
  segment,
  tag,
  track,
} from './test-kit/index.js';
import type { Truth } from './truth.js';

const NOW = at('2024-05-15T12:00:00Z');
const U = 'unknown';

describe('segments are three-valued', () => {
  const A: Condition = { trait: 'a', op: 'eq', value: 1 };
  const B: Condition = { trait: 'b', op: 'eq', value: 1 };
  const set = compiled({
    segments: {
      and: segment({ and: [A, B] }),
      or: segment({ or: [A, B] }),
      not: segment({ not: A }),
      nested: segment({ not: { and: [A, { not: B }] } }),
      inner: segment(A),
      outer: segment({ segment: 'inner' }),
      outer_not: segment({ not: { segment: 'inner' } }),
    },
  });
  it.each<[Truth, Truth, Truth, Truth, Truth, Truth]>([
    // a, b, a AND b, a OR b, NOT a, NOT (a AND NOT b)
    [true, true, true, true, false, true],
    [true, false, false, true, false, false],
    [true, U, U, true, false, U],
    [false, true, false, true, true, true],
    [false, false, false, false, true, true],
    [false, U, false, U, true, true],
    [U, true, U, true, U, true],
    [U, false, false, U, U, U],
    [U, U, U, U, U, U],
  ])('a %s, b %s: and %s, or %s, not %s, nested %s', (a, b, conj, disj, neg, nested) => {
    const traits: Record<string, unknown> = {};
    if (a !== U) traits['a'] = a ? 1 : 2;
    if (b !== U) traits['b'] = b ? 1 : 2;
    const { segments } = evaluate(set, emptyState(), profile(traits), NOW);
    expect(segments).toEqual({
      and: conj,
      or: disj,
      not: neg,
      nested,
      inner: a,
      outer: a,
      outer_not: neg,
    });
  });

  it('treats a tag without a value as unknown, and existence as known', () => {
    const tags = compiled({
      tags: {
        avg: tag({
          kind: 'fact',
          event: 'Order',
          aggregate: 'avg',
          property: 'total',
          window: days(30),
        }),
      },
      segments: {
        big: segment({ tag: 'avg', op: 'gt', value: 10 }),
        small: segment({ not: { tag: 'avg', op: 'gt', value: 10 } }),
        none: segment({ tag: 'avg', op: 'not_exists' }),
      },
    });
    expect(evaluateAfter(tags, [], NOW)).toMatchObject({
      tags: { avg: null },
      segments: { big: U, small: U, none: true },
    });
    expect(evaluateAfter(tags, [track('Order', NOW, { total: 20 })], NOW).segments).toEqual({
      big: true,
      small: false,
      none: false,
    });
  });

  it('never throws on odd traits', () => {
    const odd = compiled({
      segments: {
        s: segment({
          or: [
            { trait: 'a.b.c', op: 'gt', value: 1 },
            { trait: 'list', op: 'has_any', value: ['x'] },
            { trait: 'when', op: 'within_last', value: days(1) },
          ],
        }),
      },
    });
    const traits = { a: [1, 2], list: { x: 1 }, when: { iso: 'today' } };
    expect(evaluate(odd, emptyState(), profile(traits), NOW).segments['s']).toBe(U);
  });
});

describe('evaluating a selection', () => {
  const set = compiled({
    tags: {
      orders: tag({ kind: 'fact', event: 'Order', aggregate: 'count', window: days(30) }),
      views: tag({ kind: 'fact', event: 'View', aggregate: 'count', window: days(30) }),
    },
    segments: {
      buyers: segment({ tag: 'orders', op: 'gte', value: 1 }),
      vip: segment({ and: [{ segment: 'buyers' }, { trait: 'vip', op: 'eq', value: true }] }),
      viewers: segment({ tag: 'views', op: 'gte', value: 1 }),
    },
  });
  it.each<[Parameters<typeof evaluate>[4], string[], string[]]>([
    [{ segments: ['vip'] }, ['orders'], ['buyers', 'vip']],
    [{ tags: ['views'] }, ['views'], []],
    [{ tags: ['orders'], segments: ['viewers'] }, ['orders', 'views'], ['viewers']],
    [{ segments: ['nonexistent'] }, [], []],
    [{}, [], []],
    [undefined, ['orders', 'views'], ['buyers', 'vip', 'viewers']],
  ])('%j evaluates tags %j and segments %j', (only, tags, segments) => {
    const state = emptyState();
    const result = evaluate(set, state, profile({ vip: true }), NOW, only);
    expect(Object.keys(result.tags).sort()).toEqual(tags);
    expect(Object.keys(result.segments).sort()).toEqual([...segments].sort());
  });

  it('gives the selected definitions the results of a full evaluation', () => {
    const state = replay(set, [track('Order', NOW)]);
    const full = evaluate(set, state, profile({ vip: true }), NOW);
    const part = evaluate(set, state, profile({ vip: true }), NOW, { segments: ['vip'] });
    expect(part.segments).toEqual({ buyers: true, vip: true });
    expect(part.tags).toEqual({ orders: full.tags['orders'] });
  });
});
