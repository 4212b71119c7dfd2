// The three example segments, run the way the collector runs the engine: each event
// applied and only the affected definitions evaluated, the scheduler waking the profile at
// nextChangeAt, and the diff turned into entered / exited events.
import { describe, expect, it } from 'vitest';
import { applyEvent } from './apply-event.js';
import type { Compiled } from './compiled.js';
import { diff } from './diff.js';
import type { EngineEvent } from './event.js';
import { evaluate, type Evaluation } from './evaluate.js';
import { emptyState } from './state.js';
import { at, compiled, days, profile, segment, track } from './test-kit/index.js';

/** One profile driven like the collector drives it, logging membership changes. */
function simulate(set: Compiled, traits: Record<string, unknown>, start: number) {
  const who = profile(traits);
  let state = emptyState();
  let results: Evaluation = evaluate(set, state, who, start);
  let next = results.nextChangeAt;
  const log: string[] = [];
  const record = (after: Evaluation) => {
    for (const change of diff(results, after)) {
      if (change.kind !== 'tag_changed') log.push(`${change.kind.slice(8)} ${change.key}`);
    }
    results = {
      ...after,
      tags: { ...results.tags, ...after.tags },
      segments: { ...results.segments, ...after.segments },
    };
  };
  return {
    log,
    /** An event arrives (at its own time). */
    send(event: EngineEvent) {
      const applied = applyEvent(set, state, event);
      state = applied.state;
      const after = evaluate(set, state, who, event.timestamp, applied.affected);
      record(after);
      if (after.nextChangeAt !== null && (next === null || after.nextChangeAt < next)) {
        next = after.nextChangeAt;
      }
    },
    /** The scheduler's wake-up time. */
    get next() {
      return next;
    },
    /** The scheduler evaluates the whole profile at `now`. */
    tick(now: number) {
      const after = evaluate(set, state, who, now);
      record(after);
      next = after.nextChangeAt;
    },
    member: (key: string) => results.segments[key],
  };
}

describe('"added to cart yesterday and has not ordered since" (China time)', () => {
  const set = compiled(
    {
      segments: {
        abandoned_cart: segment({
          did: { event: 'Product Added' },
          notFollowedBy: { event: 'Order Completed' },
          followWithin: days(2),
          within: days(2),
        }),
      },
    },
    { dayOffsetMinutes: 480 },
  );
  const added = at('2024-05-14T20:00:00+08:00');

  it('enters on adding, exits on ordering', () => {
    const p = simulate(set, {}, added - 1);
    p.send(track('Product Added', added, { sku: 'milk-1' }));
    expect(p.log).toEqual(['entered abandoned_cart']);
    p.tick(at('2024-05-15T10:00:00+08:00'));
    p.send(track('Order Completed', at('2024-05-15T11:00:00+08:00')));
    expect(p.log).toEqual(['entered abandoned_cart', 'exited abandoned_cart']);
  });

  it('exits when yesterday is over, at local midnight, woken by nextChangeAt', () => {
    const p = simulate(set, {}, added - 1);
    p.send(track('Product Added', added));
    expect(p.next).toBe(at('2024-05-16T00:00:00+08:00'));
    p.tick(at('2024-05-15T23:59:59.999+08:00'));
    expect(p.member('abandoned_cart')).toBe(true);
    p.tick(p.next ?? 0);
    expect(p.log).toEqual(['entered abandoned_cart', 'exited abandoned_cart']);
    expect(p.next).toBeNull();
  });

  it('stays in when the order came only after the follow-up time', () => {
    const p = simulate(set, {}, added - 1);
    p.send(track('Product Added', at('2024-05-13T09:00:00+08:00')));
    p.send(track('Order Completed', at('2024-05-15T09:00:00+08:00')));
    p.tick(at('2024-05-15T10:00:00+08:00'));
    // 48 h after the add had passed at 2024-05-15T09:00: that order does not follow it, but the
    // add is also outside "yesterday and today" by now.
    expect(p.member('abandoned_cart')).toBe(false);
  });
});

describe('"30-year-old women who bought milk powder"', () => {
  const set = compiled({
    segments: {
      young_mothers: segment({
        and: [
          { trait: 'gender', op: 'eq', value: 'female' },
          { trait: 'age', op: 'between', value: [30, 39] },
          {
            did: {
              event: 'Order Completed',
              where: [{ property: 'category', op: 'eq', value: 'milk_powder' }],
            },
            within: 'all',
          },
        ],
      }),
    },
  });
  const now = at('2024-05-15T12:00:00Z');
  it.each<[Record<string, unknown>, string | undefined, boolean | 'unknown']>([
    [{ gender: 'female', age: 32 }, 'milk_powder', true],
    [{ gender: 'female', age: 30 }, 'milk_powder', true],
    [{ gender: 'female', age: 40 }, 'milk_powder', false],
    [{ gender: 'female', age: 32 }, 'diapers', false],
    [{ gender: 'female', age: 32 }, undefined, false],
    [{ gender: 'male', age: 32 }, 'milk_powder', false],
    [{ gender: 'female' }, 'milk_powder', 'unknown'],
    [{ gender: 'female', age: '32' }, 'milk_powder', 'unknown'],
    [{ age: 32 }, undefined, false],
  ])('traits %j, bought %s: %s', (traits, category, expected) => {
    const p = simulate(set, traits, now - 1000);
    if (category) p.send(track('Order Completed', now, { category }));
    p.tick(now);
    expect(p.member('young_mothers')).toBe(expected);
    expect(p.log).toEqual(expected === true ? ['entered young_mothers'] : []);
  });
});

describe('"searched route SHA-CTU in the last 7 days and did not book it"', () => {
  const route = [{ property: 'route', op: 'eq' as const, value: 'SHA-CTU' }];
  const set = compiled({
    segments: {
      sha_ctu_lookers: segment({
        and: [
          { did: { event: 'Search', where: route }, within: days(7) },
          { not: { did: { event: 'Order Completed', where: route }, within: days(7) } },
        ],
      }),
    },
  });
  const search = (time: string, to = 'SHA-CTU') => track('Search', at(time), { route: to });
  const book = (time: string, to = 'SHA-CTU') => track('Order Completed', at(time), { route: to });

  it('enters on the search, ignores other routes, exits a week later', () => {
    const p = simulate(set, {}, at('2024-05-10T00:00:00Z'));
    p.send(search('2024-05-10T09:00:00Z'));
    p.send(search('2024-05-10T09:05:00Z', 'SHA-PEK'));
    p.send(book('2024-05-12T10:00:00Z', 'SHA-PEK'));
    expect(p.log).toEqual(['entered sha_ctu_lookers']);
    expect(p.next).toBe(at('2024-05-17T00:00:00Z'));
    p.tick(p.next ?? 0);
    expect(p.log).toEqual(['entered sha_ctu_lookers', 'exited sha_ctu_lookers']);
  });

  it('exits on booking the route', () => {
    const p = simulate(set, {}, at('2024-05-10T00:00:00Z'));
    p.send(search('2024-05-10T09:00:00Z'));
    p.send(book('2024-05-11T09:00:00Z'));
    expect(p.log).toEqual(['entered sha_ctu_lookers', 'exited sha_ctu_lookers']);
  });

  it('enters by time alone once an earlier booking leaves the window', () => {
    const p = simulate(set, {}, at('2024-05-08T00:00:00Z'));
    p.send(book('2024-05-08T09:00:00Z'));
    p.send(search('2024-05-10T09:00:00Z'));
    expect(p.log).toEqual([]);
    expect(p.next).toBe(at('2024-05-15T00:00:00Z'));
    p.tick(p.next ?? 0);
    expect(p.log).toEqual(['entered sha_ctu_lookers']);
  });
});
