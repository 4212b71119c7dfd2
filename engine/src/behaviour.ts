// Behaviour conditions: what a profile did, in which order, and what it has not done since.
import type { Window } from '@spoor/schemas';
import type { Plan } from './compiled.js';
import type { EvalContext } from './context.js';
import type { StreamState } from './state.js';
import { leavesWindowAt, windowStart } from './time.js';
import { bucketsIn } from './window.js';

type PlanOf<K extends Plan['k']> = Extract<Plan, { k: K }>;

/**
 * "Did X between atLeast and atMost times in the window". Never unknown: no events is a count
 * of 0. As buckets leave the window the count only falls, so the answer changes at most once
 * by time alone, when the count crosses a bound: that instant is noted, not every bucket's.
 */
export function did(plan: PlanOf<'did'>, context: EvalContext): boolean {
  const feed = context.state.streams[plan.stream]?.feeds?.[''];
  const buckets = bucketsIn(feed, plan.within, context.clock);
  const inRange = (count: number) => plan.atLeast <= count && count <= plan.atMost;
  let count = 0;
  for (const bucket of buckets) count += bucket.acc.n;
  const answer = inRange(count);
  let remaining = count;
  for (const bucket of buckets) {
    remaining -= bucket.acc.n;
    if (inRange(remaining) !== answer) {
      context.clock.noteChange(bucket.leavesAt);
      break;
    }
  }
  return answer;
}

/**
 * "Did X, not followed by Y within T": some X inside the window with no Y after it (strictly
 * later) up to T after it. An X whose T has not yet run out counts as soon as it happens: it
 * has not been followed so far, which is what "added to cart and has not ordered since" asks;
 * a Y arriving in time takes it back out. A Y later than T after X does not.
 */
export function notFollowed(plan: PlanOf<'not_followed'>, context: EvalContext): boolean {
  const xs = timesOf(context, plan.stream, plan.within);
  const ys = timesOf(context, plan.by, plan.within);
  for (let i = xs.length - 1; i >= 0; i--) {
    const x = xs[i] as number;
    const y = ys[firstAfter(ys, x)];
    if (y === undefined || y > x + plan.followMs) {
      noteLeaving(context, x, plan.within);
      return true;
    }
  }
  return false;
}

/**
 * "Did A, then B, … in order": occurrences strictly later one after the other, the first inside
 * the window and the last at most `completeWithin` after the first. Each step takes the earliest
 * occurrence after the previous one, which completes a funnel whenever any choice would.
 */
export function sequence(plan: PlanOf<'sequence'>, context: EvalContext): boolean {
  const steps = plan.steps.map((step) => timesOf(context, step, plan.within));
  const [firsts = [], ...rest] = steps;
  for (let i = firsts.length - 1; i >= 0; i--) {
    const start = firsts[i] as number;
    let previous: number | undefined = start;
    for (const times of rest) {
      const next: number | undefined = times[firstAfter(times, previous)];
      previous = next !== undefined && next <= start + plan.completeMs ? next : undefined;
      if (previous === undefined) break;
    }
    if (previous !== undefined) {
      noteLeaving(context, start, plan.within);
      return true;
    }
  }
  return false;
}

/**
 * "Has not done X for the window": no X inside it. Never having done X at all is `orNever`
 * (default true). Becomes true by itself when the last X leaves the window.
 */
export function inactive(plan: PlanOf<'inactive'>, context: EvalContext): boolean {
  const stream = context.state.streams[plan.stream];
  if (stream === undefined) return plan.orNever;
  const { now, offsetMs } = context.clock;
  if (stream.last < windowStart(now, plan.for, offsetMs)) return true;
  context.clock.noteChange(leavesWindowAt(stream.last, plan.for, offsetMs));
  return false;
}

/** A stream's occurrence times inside `window` (ascending), flagging the result if capped. */
function timesOf(context: EvalContext, key: string, window: Window): readonly number[] {
  const stream: StreamState | undefined = context.state.streams[key];
  const times = stream?.times ?? [];
  const { now, offsetMs } = context.clock;
  const start = window === 'all' ? -Infinity : windowStart(now, window, offsetMs);
  if (stream?.timesDropped !== undefined && stream.timesDropped >= start) context.inexact = true;
  return start === -Infinity ? times : times.slice(search(times, start, false));
}

/** The index of the first time strictly after `t` in ascending `times` (its length if none). */
function firstAfter(times: readonly number[], t: number): number {
  return search(times, t, true);
}

/** The index of the first time after `t` (strictly, or at or after), by binary search. */
function search(times: readonly number[], t: number, strictly: boolean): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const time = times[mid] as number;
    if (time < t || (strictly && time === t)) low = mid + 1;
    else high = mid;
  }
  return low;
}

function noteLeaving(context: EvalContext, t: number, window: Window): void {
  if (window !== 'all') context.clock.noteChange(leavesWindowAt(t, window, context.clock.offsetMs));
}
