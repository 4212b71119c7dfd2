// Reading a feed over a window: the buckets inside it at now.
import type { Window } from '@spoor/schemas';
import type { Clock } from './clock.js';
import type { Accumulator, FeedState } from './state.js';
import { bucketOf, bucketStart } from './time.js';

/** A bucket inside a window, with the time it leaves the window (Infinity for all time). */
export interface WindowBucket {
  leavesAt: number;
  acc: Accumulator;
}

/**
 * The accumulators of `feed` inside `window` at the clock's now, oldest first: for `'all'` the
 * all-time accumulator; else the buckets from N − 1 before now's to any later ones (events
 * dated after now, from skewed clocks, count from the moment they are applied).
 */
export function bucketsIn(
  feed: FeedState | undefined,
  window: Window,
  clock: Clock,
): WindowBucket[] {
  if (window === 'all') return feed?.all ? [{ leavesAt: Infinity, acc: feed.all }] : [];
  const buckets = feed?.[window.unit];
  if (!buckets) return [];
  const oldest = bucketOf(clock.now, window.unit, clock.offsetMs) - window.last + 1;
  const inside: { index: number; acc: Accumulator }[] = [];
  for (const [key, acc] of Object.entries(buckets)) {
    const index = Number(key);
    if (index >= oldest) inside.push({ index, acc });
  }
  inside.sort((a, b) => a.index - b.index);
  return inside.map(({ index, acc }) => ({
    leavesAt: bucketStart(index + window.last, window.unit, clock.offsetMs),
    acc,
  }));
}
