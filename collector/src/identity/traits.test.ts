import { describe, expect, it } from 'vitest';
import {
  mergeTraits,
  renderTraits,
  stateOfOps,
  type ProfileOps,
  type TraitState,
} from './traits.js';

type Op = [ProfileOps, number, string];
const fold = (ops: readonly Op[]) =>
  ops.reduce<TraitState>((s, [o, t, m]) => mergeTraits(s, stateOfOps(o, t, m)), {});

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((x, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [x, ...p]),
  );
}

const OPS: Op[] = [
  [{ set: { plan: 'free', city: 'Shanghai' }, setOnce: { first_source: 'ad' } }, 1, 'm1'],
  [{ set: { plan: 'pro' }, setOnce: { first_source: 'seo' }, increment: { points: 5 } }, 3, 'm3'],
  [{ increment: { points: -2 }, append: { viewed: ['a', 'b'] }, union: { tags: ['x'] } }, 2, 'm2'],
  [{ union: { tags: ['x', 'y'] }, append: { viewed: ['c'] }, unset: ['city'] }, 4, 'm4'],
];

describe('profile traits', () => {
  it('set: latest wins; setOnce: earliest wins; increments add up; lists in event order; unset removes', () => {
    expect(renderTraits(fold(OPS))).toEqual({
      plan: 'pro',
      first_source: 'ad',
      points: 3,
      viewed: ['a', 'b', 'c'],
      tags: ['x', 'y'],
    });
  });

  it('gives the same traits in every order the operations can arrive in', () => {
    const expected = renderTraits(fold(OPS));
    for (const order of permutations(OPS)) expect(renderTraits(fold(order))).toEqual(expected);
  });

  it('merges two profiles the same way whichever absorbs the other', () => {
    const a = fold(OPS.slice(0, 2));
    const b = fold(OPS.slice(2));
    expect(renderTraits(mergeTraits(a, b))).toEqual(renderTraits(mergeTraits(b, a)));
    expect(renderTraits(mergeTraits(a, b))).toEqual(renderTraits(fold(OPS)));
  });

  it('breaks ties in time by messageId, not by arrival', () => {
    const x: Op = [{ set: { tier: 'gold' } }, 5, 'b'];
    const y: Op = [{ set: { tier: 'silver' } }, 5, 'a'];
    expect(renderTraits(fold([x, y]))).toEqual({ tier: 'gold' });
    expect(renderTraits(fold([y, x]))).toEqual({ tier: 'gold' });
  });

  it('a set after an unset shows again; increments add to a numeric set', () => {
    const state = fold([
      [{ set: { score: 10 } }, 1, 'a'],
      [{ increment: { score: 1 } }, 2, 'b'],
      [{ unset: ['nick'] }, 3, 'c'],
      [{ set: { nick: 'lei' } }, 4, 'd'],
    ]);
    expect(renderTraits(state)).toEqual({ score: 11, nick: 'lei' });
  });

  it('keeps keys such as __proto__ as plain data', () => {
    const state = stateOfOps(
      JSON.parse('{"set":{"__proto__":{"admin":true}}}') as ProfileOps,
      1,
      'm',
    );
    const traits = renderTraits(state);
    expect(Object.getPrototypeOf(traits)).toBe(Object.prototype);
    expect(Object.hasOwn(traits, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(traits, '__proto__')?.value).toEqual({ admin: true });
    // Nothing reached Object.prototype: neither the value nor a register of the key's state.
    const plain = {} as Record<string, unknown>;
    expect([plain['admin'], plain['s']]).toEqual([undefined, undefined]);
  });
});
