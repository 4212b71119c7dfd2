import type { EventMatch } from '@spoor/schemas';
import { describe, expect, it } from 'vitest';
import { applyEvent } from './apply-event.js';
import type { Compiled } from './compiled.js';
import type { EngineEvent } from './event.js';
import { evaluate } from './evaluate.js';
import { MAX_TIMES } from './limits.js';
import { emptyState } from './state.js';
import {
  at,
  compiled,
  DAY,
  days,
  deepFreeze,
  HOUR,
  hours,
  profile,
  replay,
  segment,
  tag,
  track,
} from './test-kit/index.js';

const NOW = at('2024-05-15T12:00:00Z');

function streamOf(set: Compiled, event: string) {
  const plan = [...set.streams.values()].find((s) => s.match.event === event);
  if (!plan) throw new Error(`no stream for ${event}`);
  return plan.key;
}

describe('applyEvent is pure', () => {
  const set = compiled({
    tags: {
      orders: tag({
        kind: 'fact',
        event: 'Order',
        aggregate: 'most_frequent',
        property: 'size',
        window: days(7),
      }),
      views: tag({ kind: 'fact', event: 'View', aggregate: 'count', window: 'all' }),
    },
    segments: {
      funnel: segment({
        sequence: [{ event: 'View' }, { event: 'Order' }],
        completeWithin: hours(1),
        within: days(1),
      }),
    },
  });

  it('never changes its input, and shares what it did not touch', () => {
    const before = replay(set, [
      track('Order', NOW - DAY, { size: 'M' }),
      track('View', NOW - DAY),
    ]);
    const frozen = deepFreeze(JSON.parse(JSON.stringify(before)) as typeof before);
    const { state } = applyEvent(set, frozen, track('Order', NOW, { size: 'L' }));
    expect(frozen).toEqual(before);
    expect(state).not.toEqual(before);
    expect(state.streams[streamOf(set, 'View')]).toBe(frozen.streams[streamOf(set, 'View')]);
  });

  it.each<[string, EngineEvent]>([
    ['an event nobody reads', track('Unrelated', NOW)],
    ['an event without a finite timestamp', track('Order', Number.NaN, { size: 'M' })],
  ])('returns the very same state for %s', (_, event) => {
    const state = emptyState();
    expect(applyEvent(set, state, event)).toEqual({ state, affected: { tags: [], segments: [] } });
    expect(applyEvent(set, state, event).state).toBe(state);
  });

  it('keeps plain JSON: a stored and reloaded state evaluates the same', () => {
    const state = replay(set, [track('View', NOW - 60_000), track('Order', NOW, { size: 'M' })]);
    const reloaded = JSON.parse(JSON.stringify(state)) as typeof state;
    expect(reloaded).toEqual(state);
    expect(evaluate(set, reloaded, profile(), NOW)).toEqual(evaluate(set, state, profile(), NOW));
    expect(evaluate(set, state, profile(), NOW).segments['funnel']).toBe(true);
  });
});

describe('which events a match sees', () => {
  const all = (match: EventMatch) =>
    compiled({ segments: { s: segment({ did: match, within: 'all' }) } });
  it.each<[string, EngineEvent, EventMatch, boolean]>([
    ['a track event by name', track('Order', NOW), { event: 'Order' }, true],
    ['another track event', track('Orders', NOW), { event: 'Order' }, false],
    [
      'a page call as $page',
      { type: 'page', event: 'Home', properties: { path: '/' }, timestamp: NOW },
      { event: '$page' },
      true,
    ],
    [
      'a page call not by its name',
      { type: 'page', event: 'Home', timestamp: NOW },
      { event: 'Home' },
      false,
    ],
    [
      'a page call by its name as a property',
      { type: 'page', event: 'Home', timestamp: NOW },
      { event: '$page', where: [{ property: 'name', op: 'eq', value: 'Home' }] },
      true,
    ],
    [
      'a page call whose properties name it otherwise',
      { type: 'page', event: 'Home', properties: { name: 'Other' }, timestamp: NOW },
      { event: '$page', where: [{ property: 'name', op: 'eq', value: 'Home' }] },
      false,
    ],
    [
      'a screen call',
      { type: 'screen', event: 'Cart', timestamp: NOW },
      { event: '$screen' },
      true,
    ],
    [
      'an identify call, filtered on its traits',
      { type: 'identify', traits: { plan: 'pro' }, timestamp: NOW },
      { event: '$identify', where: [{ property: 'plan', op: 'eq', value: 'pro' }] },
      true,
    ],
    [
      'an identify call, not on its properties',
      { type: 'identify', properties: { plan: 'pro' }, timestamp: NOW },
      { event: '$identify', where: [{ property: 'plan', op: 'eq', value: 'pro' }] },
      false,
    ],
    [
      'a group call',
      { type: 'group', traits: { size: 10 }, timestamp: NOW },
      { event: '$group', where: [{ property: 'size', op: 'gte', value: 5 }] },
      true,
    ],
    ['an alias call', { type: 'alias', timestamp: NOW }, { event: '$alias' }, true],
    [
      'a nested property',
      track('Order', NOW, { order: { total: 120 } }),
      { event: 'Order', where: [{ property: 'order.total', op: 'gt', value: 100 }] },
      true,
    ],
    [
      'a missing property',
      track('Order', NOW),
      { event: 'Order', where: [{ property: 'total', op: 'neq', value: 1 }] },
      false,
    ],
    [
      'a missing property, not_exists',
      track('Order', NOW),
      { event: 'Order', where: [{ property: 'coupon', op: 'not_exists' }] },
      true,
    ],
    [
      'a property of the wrong type',
      track('Order', NOW, { total: '120' }),
      { event: 'Order', where: [{ property: 'total', op: 'gt', value: 100 }] },
      false,
    ],
    [
      'all filters must hold',
      track('Order', NOW, { a: 1, b: 2 }),
      {
        event: 'Order',
        where: [
          { property: 'a', op: 'eq', value: 1 },
          { property: 'b', op: 'eq', value: 3 },
        ],
      },
      false,
    ],
    [
      'a date filter, judged at the event time',
      track('Order', NOW - 30 * DAY, { placedAt: NOW - 30 * DAY - HOUR }),
      { event: 'Order', where: [{ property: 'placedAt', op: 'within_last', value: days(1) }] },
      true,
    ],
    [
      'a date filter, too old at the event time',
      track('Order', NOW, { placedAt: NOW - 3 * DAY }),
      { event: 'Order', where: [{ property: 'placedAt', op: 'within_last', value: days(1) }] },
      false,
    ],
  ])('%s', (_, event, match, expected) => {
    const set = all(match);
    const { state, affected } = applyEvent(set, emptyState(), event);
    expect(evaluate(set, state, profile(), NOW).segments['s']).toBe(expected);
    expect(affected.segments).toEqual(expected ? ['s'] : []);
  });
});

describe('affected definitions', () => {
  const set = compiled({
    tags: {
      orders: tag({ kind: 'fact', event: 'Order', aggregate: 'count', window: days(30) }),
      big: tag({
        kind: 'fact',
        event: 'Order',
        where: [{ property: 'total', op: 'gte', value: 100 }],
        aggregate: 'count',
        window: days(30),
      }),
      grade: tag({ kind: 'imported', valueType: 'string', trait: 'crm.grade' }),
    },
    segments: {
      buyers: segment({ tag: 'orders', op: 'gte', value: 1 }),
      graded: segment({ tag: 'grade', op: 'eq', value: 'A' }),
      adults: segment({ trait: 'age', op: 'gte', value: 18 }),
    },
  });
  it.each<[string, EngineEvent, string[], string[]]>([
    ['a small order', track('Order', NOW, { total: 5 }), ['orders'], ['buyers']],
    ['a big order', track('Order', NOW, { total: 500 }), ['orders', 'big'], ['buyers']],
    [
      'an identify setting crm',
      { type: 'identify', traits: { crm: { grade: 'A' } }, timestamp: NOW },
      ['grade'],
      ['graded'],
    ],
    [
      'an identify setting age',
      { type: 'identify', traits: { age: 30 }, timestamp: NOW },
      [],
      ['adults'],
    ],
    ['a track event with an age property', track('Other', NOW, { age: 30 }), [], []],
  ])('%s affects tags %j and segments %j', (_, event, tags, segments) => {
    expect(applyEvent(set, emptyState(), event).affected).toEqual({ tags, segments });
  });
});

describe('buckets and occurrence times over time', () => {
  const set = compiled({
    tags: { week: tag({ kind: 'fact', event: 'Order', aggregate: 'count', window: days(7) }) },
    segments: {
      abandoned: segment({
        did: { event: 'Cart' },
        notFollowedBy: { event: 'Order' },
        followWithin: hours(1),
        within: days(1),
      }),
    },
  });
  const buckets = (state: ReturnType<typeof replay>) =>
    Object.keys(state.streams[streamOf(set, 'Order')]?.feeds?.['']?.days ?? {}).length;

  it('drops buckets no window reaches once newer ones open', () => {
    const state = replay(set, [track('Order', NOW - 10 * DAY), track('Order', NOW - 8 * DAY)]);
    expect(buckets(state)).toBe(2);
    expect(buckets(replay(set, [track('Order', NOW)], state))).toBe(1);
  });

  it('puts a late event in its own bucket, and drops one too late for any window', () => {
    const state = replay(set, [
      track('Order', NOW),
      track('Order', NOW - 2 * DAY),
      track('Order', NOW - 9 * DAY),
    ]);
    expect(buckets(state)).toBe(2);
    expect(evaluate(set, state, profile(), NOW).tags['week']).toBe(2);
    expect(state.streams[streamOf(set, 'Order')]?.first).toBe(NOW - 9 * DAY);
  });

  it('keeps occurrence times only as far back as the window reaches', () => {
    const state = replay(set, [
      track('Cart', NOW - 3 * DAY),
      track('Cart', NOW - 2 * HOUR),
      track('Cart', NOW),
    ]);
    expect(state.streams[streamOf(set, 'Cart')]?.times).toEqual([NOW - 2 * HOUR, NOW]);
  });

  it(`keeps the newest ${MAX_TIMES} occurrence times, remembering what it dropped`, () => {
    const carts = Array.from({ length: MAX_TIMES + 5 }, (_, i) => track('Cart', NOW - i * 1000));
    const stream = replay(set, carts).streams[streamOf(set, 'Cart')];
    expect(stream?.times).toHaveLength(MAX_TIMES);
    expect(stream?.times?.[0]).toBe(NOW - (MAX_TIMES - 1) * 1000);
    expect(stream?.timesDropped).toBe(NOW - MAX_TIMES * 1000);
  });
});
