// Calendar buckets: how the engine cuts time into minutes, hours and days, and what "the last N
// days" means. Every window in the engine (aggregates, behaviour conditions, date comparisons,
// lifecycle, RFM recency) goes through these functions, so they all agree on where a day ends.
import { UNIT_MS, type Duration } from '@spoor/schemas';

/** A bucket granularity: the unit of a duration. */
export type Unit = Duration['unit'];

/** The units, finest first. */
export const UNITS: readonly Unit[] = ['minutes', 'hours', 'days'];

/**
 * The index of the bucket holding instant `t`. Buckets are cut in the deployment's local time:
 * `offsetMs` is its offset from UTC (8 h for China), so a day bucket runs from local midnight to
 * local midnight. The offset applies to every unit; it changes hours only for zones that are not
 * a whole number of hours from UTC (India), where it keeps hour buckets on local hours.
 */
export function bucketOf(t: number, unit: Unit, offsetMs: number): number {
  return Math.floor((t + offsetMs) / UNIT_MS[unit]);
}

/** The first instant of bucket `index`. */
export function bucketStart(index: number, unit: Unit, offsetMs: number): number {
  return index * UNIT_MS[unit] - offsetMs;
}

/**
 * The first instant inside the window `{ last: N, unit }` at `now`: the start of the bucket N − 1
 * before now's own. "The last 30 days" is today (however little of it has passed) and the 29 days
 * before: whole calendar buckets, never a rolling 30 × 24 h, so a result changes only when a
 * bucket boundary passes and a per-bucket aggregate answers it exactly.
 */
export function windowStart(now: number, window: Duration, offsetMs: number): number {
  return bucketStart(bucketOf(now, window.unit, offsetMs) - window.last + 1, window.unit, offsetMs);
}

/** Whether instant `t` lies inside `window` at `now`. Later instants (clock skew) are inside. */
export function inWindow(t: number, now: number, window: Duration, offsetMs: number): boolean {
  return t >= windowStart(now, window, offsetMs);
}

/**
 * The first `now` at which instant `t` is no longer inside `window`: the start of the N-th
 * bucket after its own. Before that instant `inWindow(t, now)` holds (for now ≥ t), from it on
 * it never does again.
 */
export function leavesWindowAt(t: number, window: Duration, offsetMs: number): number {
  return bucketStart(bucketOf(t, window.unit, offsetMs) + window.last, window.unit, offsetMs);
}
