// One matching event added to a stream's state: first/last times, occurrence times, and every
// feed's accumulators, each at the buckets its windows need. Late events land in their own
// bucket; buckets no window can reach any more are dropped as newer ones open.
import { accumulate } from './accumulator.js';
import type { FeedPlan, StreamPlan } from './compiled.js';
import { eventField, type EngineEvent } from './event.js';
import { encodeScalar, isScalar, type Scalar } from './fields.js';
import { MAX_TIMES } from './limits.js';
import type { Buckets, FeedState, StreamState } from './state.js';
import { bucketOf, type Unit } from './time.js';

/** `stream` after `event`, which matches it. A new object: `stream` is left as it was. */
export function updateStream(
  plan: StreamPlan,
  stream: StreamState | undefined,
  event: EngineEvent,
  offsetMs: number,
): StreamState {
  const t = event.timestamp;
  const newest = stream === undefined ? t : Math.max(stream.last, t);
  const next: StreamState = {
    ...stream,
    first: stream === undefined ? t : Math.min(stream.first, t),
    last: newest,
  };
  if (plan.timesSpan > 0) insertTime(next, t, newest - plan.timesSpan);
  for (const [id, feed] of plan.feeds) {
    let value: Scalar | undefined;
    if (feed.path.length > 0) {
      const found = eventField(event, feed.path);
      if (!isScalar(found)) continue; // a feed of a property sees only events with a scalar there
      value = found;
    }
    const key = feed.needs.values && value !== undefined ? encodeScalar(value) : undefined;
    const updated = updateFeed(next.feeds?.[id], feed, { t, value, key, newest, offsetMs });
    next.feeds = { ...next.feeds, [id]: updated };
  }
  return next;
}

interface Arrival {
  t: number;
  value: Scalar | undefined;
  key: string | undefined;
  newest: number;
  offsetMs: number;
}

function updateFeed(feed: FeedState | undefined, plan: FeedPlan, arrival: Arrival): FeedState {
  const { t, value, key } = arrival;
  const next: FeedState = { ...feed };
  if (plan.all) next.all = accumulate(feed?.all, t, value, key, plan.needs);
  for (const [unit, last] of Object.entries(plan.units) as [Unit, number][]) {
    const oldest = bucketOf(arrival.newest, unit, arrival.offsetMs) - last + 1;
    const index = bucketOf(t, unit, arrival.offsetMs);
    if (index < oldest) continue; // no window reaches back to it: a very late event
    const buckets: Buckets = { ...feed?.[unit] };
    const opened = buckets[index] === undefined;
    buckets[index] = accumulate(buckets[index], t, value, key, plan.needs);
    if (opened) dropBefore(buckets, oldest);
    next[unit] = buckets;
  }
  return next;
}

/** Removes buckets with an index below `oldest` (from a copy the caller owns). */
export function dropBefore(buckets: Buckets, oldest: number): void {
  for (const index of Object.keys(buckets)) {
    if (Number(index) < oldest) delete buckets[index];
  }
}

/**
 * Adds `t` to the stream's ascending occurrence times (a new array), drops those before `floor`
 * and, beyond MAX_TIMES, the oldest, remembering the latest dropped so that a window reaching it
 * knows its answer may be incomplete.
 */
function insertTime(stream: StreamState, t: number, floor: number): void {
  if (t < floor) return;
  const times = stream.times ?? [];
  let low = 0;
  let high = times.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((times[mid] as number) <= t) low = mid + 1;
    else high = mid;
  }
  let start = 0;
  while (start < times.length && (times[start] as number) < floor) start++;
  const next = [...times.slice(start, low), t, ...times.slice(low)];
  if (next.length > MAX_TIMES) {
    const dropped = next.splice(0, next.length - MAX_TIMES);
    stream.timesDropped = Math.max(
      stream.timesDropped ?? -Infinity,
      dropped[dropped.length - 1] as number,
    );
  }
  stream.times = next;
}
