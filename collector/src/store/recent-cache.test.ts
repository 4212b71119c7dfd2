import { describe, expect, it } from 'vitest';
import { RecentCache } from './recent-cache.js';

describe('RecentCache (two generations, an approximate LRU)', () => {
  it('keeps entries used since the last turnover and drops the rest, within its bound', () => {
    const cache = new RecentCache<string, number>(4);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3); // young {a,b,c} is over 2: it becomes old
    expect(cache.get('a')).toBe(1); // promoted back to young
    cache.set('d', 4);
    cache.set('e', 5); // young {a,d,e} over 2: old {b,c} dropped
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('c')).toBeUndefined();
    expect([cache.get('a'), cache.get('d'), cache.get('e')]).toEqual([1, 4, 5]);
  });

  it('deletes from both generations and clears', () => {
    const cache = new RecentCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
    cache.clear();
    expect(cache.get('b')).toBeUndefined();
  });

  it('never holds more than its bound', () => {
    const cache = new RecentCache<number, number>(100);
    for (let i = 0; i < 10_000; i++) cache.set(i, i);
    const held = Array.from({ length: 10_000 }, (_, i) => cache.get(i)).filter(
      (v) => v !== undefined,
    );
    expect(held.length).toBeLessThanOrEqual(100);
    expect(held.length).toBeGreaterThan(0);
  });
});
