import { describe, expect, it } from 'vitest';
import { DedupeIndex, dedupeHash } from './dedupe-index.js';

describe('DedupeIndex', () => {
  it('finds what was added, and nothing else', () => {
    const index = new DedupeIndex();
    index.add(dedupeHash('web', 'a'), 1);
    index.add(dedupeHash('web', 'b'), 2);
    expect(index.candidates(dedupeHash('web', 'a'))).toEqual([1]);
    expect(index.candidates(dedupeHash('web', 'b'))).toEqual([2]);
    expect(index.candidates(dedupeHash('server', 'a'))).toEqual([]);
    expect(index.size).toBe(2);
  });

  it('keeps every seq of a shared hash (a collision), oldest first', () => {
    const index = new DedupeIndex();
    for (const seq of [9, 3, 5]) index.add(42, seq);
    index.add(42 + 2 ** 20, 7); // lands in the same probe run but is another hash
    expect(index.candidates(42)).toEqual([3, 5, 9]);
  });

  it('grows past its initial capacity without losing keys', () => {
    const index = new DedupeIndex(16);
    for (let i = 1; i <= 50_000; i++) index.add(dedupeHash('web', `m-${i}`), i);
    expect(index.size).toBe(50_000);
    for (const i of [1, 777, 25_000, 50_000])
      expect(index.candidates(dedupeHash('web', `m-${i}`))).toContain(i);
  });

  it('prunes keys of events older than a seq', () => {
    const index = new DedupeIndex();
    for (let i = 1; i <= 100; i++) index.add(dedupeHash('web', `m-${i}`), i);
    index.prune(51);
    expect(index.size).toBe(50);
    expect(index.candidates(dedupeHash('web', 'm-50'))).toEqual([]);
    expect(index.candidates(dedupeHash('web', 'm-51'))).toEqual([51]);
  });

  it('hashes to positive integers below 2^48 that tell source from message id', () => {
    const hashes = ['a', 'b', 'ab', '标签', '😀'].flatMap((id) => [
      dedupeHash('web', id),
      dedupeHash('we', `b${id}`),
    ]);
    for (const h of hashes) expect(Number.isInteger(h) && h > 0 && h < 2 ** 48).toBe(true);
    expect(new Set(hashes).size).toBe(hashes.length);
  });
});
