// prune(): a state cut down to what the definitions can still read at `now` or later. applyEvent
// drops buckets only as newer events arrive; a profile that went quiet keeps its old buckets
// (harmless, outside every window) until pruned. Streams and feeds no definition reads any more,
// after definitions were edited or deleted, go too.
import type { Compiled, FeedPlan, StreamPlan } from './compiled.js';
import type { FeedState, ProfileState, StreamState } from './state.js';
import { dropBefore } from './stream-update.js';
import { bucketOf, UNITS } from './time.js';

/** `state` without what no definition can read from `now` on; `state` itself if nothing goes. */
export function prune(compiled: Compiled, state: ProfileState, now: number): ProfileState {
  let changed = false;
  const streams: Record<string, StreamState> = {};
  for (const [key, stream] of Object.entries(state.streams)) {
    const plan = compiled.streams.get(key);
    if (plan === undefined) {
      changed = true;
      continue;
    }
    const pruned = pruneStream(plan, stream, now, compiled.offsetMs);
    if (pruned !== stream) changed = true;
    streams[key] = pruned;
  }
  return changed ? { ...state, streams } : state;
}

function pruneStream(
  plan: StreamPlan,
  stream: StreamState,
  now: number,
  offsetMs: number,
): StreamState {
  const next: StreamState = { ...stream };
  let changed = false;
  if (stream.times !== undefined) {
    const floor = now - plan.timesSpan;
    const times = plan.timesSpan === 0 ? [] : stream.times.filter((t) => t >= floor);
    if (times.length !== stream.times.length) changed = true;
    if (times.length > 0) next.times = times;
    else delete next.times;
    if (next.timesDropped !== undefined && (times.length === 0 || next.timesDropped < floor)) {
      delete next.timesDropped;
      changed = true;
    }
  }
  const feeds: Record<string, FeedState> = {};
  for (const [id, feed] of Object.entries(stream.feeds ?? {})) {
    const feedPlan = plan.feeds.get(id);
    const pruned = feedPlan === undefined ? undefined : pruneFeed(feedPlan, feed, now, offsetMs);
    if (pruned !== feed) changed = true;
    if (pruned !== undefined) feeds[id] = pruned;
  }
  if (!changed) return stream;
  if (Object.keys(feeds).length > 0) next.feeds = feeds;
  else delete next.feeds;
  return next;
}

function pruneFeed(
  plan: FeedPlan,
  feed: FeedState,
  now: number,
  offsetMs: number,
): FeedState | undefined {
  const next: FeedState = {};
  let changed = false;
  if (feed.all !== undefined) {
    if (plan.all) next.all = feed.all;
    else changed = true;
  }
  for (const unit of UNITS) {
    const buckets = feed[unit];
    if (buckets === undefined) continue;
    const last = plan.units[unit];
    if (last === undefined) {
      changed = true;
      continue;
    }
    const kept = { ...buckets };
    dropBefore(kept, bucketOf(now, unit, offsetMs) - last + 1);
    const size = Object.keys(kept).length;
    if (size !== Object.keys(buckets).length) changed = true;
    if (size > 0) next[unit] = size === Object.keys(buckets).length ? buckets : kept;
  }
  if (!changed) return feed;
  return Object.keys(next).length > 0 ? next : undefined;
}
