// A profile's engine state: plain JSON, stored by the collector per profile. It holds what the
// definitions need to know about the profile's events, per distinct event match ("stream"), and
// nothing about traits or imported values, which the caller passes to `evaluate`.
import type { Scalar } from './fields.js';

/** Everything the engine remembers about one profile's events. */
export interface ProfileState {
  /** The layout version, so that a later layout can tell and convert old state. */
  v: 1;
  /** Per stream key (a hash of a canonical event match, see `compiled.streams`). */
  streams: Record<string, StreamState>;
}

/** What one profile did that matches one event match (an event name and property filters). */
export interface StreamState {
  /** Time of the earliest and latest matching event ever seen (inactive, lifecycle, "never"). */
  first: number;
  last: number;
  /** Ascending times of matching events, kept only for sequence and notFollowedBy conditions. */
  times?: number[];
  /** The latest time dropped from `times` by its cap: windows reaching it are approximate. */
  timesDropped?: number;
  /** Aggregates, per property path (`''` for the events themselves). */
  feeds?: Record<string, FeedState>;
}

/** Aggregates of one property of a stream's events: all time, and in calendar buckets. */
export interface FeedState {
  all?: Accumulator;
  minutes?: Buckets;
  hours?: Buckets;
  days?: Buckets;
}

/** Accumulators per bucket index (see `bucketOf`), as JSON object keys. */
export type Buckets = Record<string, Accumulator>;

/**
 * The aggregates of some events. Only the fields some definition needs are kept; a missing
 * numeric field reads as "no value".
 */
export interface Accumulator {
  /** Events counted (for a property, events where it held a scalar). */
  n: number;
  /** Sum and number of the numeric values (avg = s / c). */
  s?: number;
  c?: number;
  /** Smallest and largest numeric value. */
  lo?: number;
  hi?: number;
  /** First event's time and value; on a tie of times the one applied first. */
  ft?: number;
  fv?: Scalar;
  /** Last event's time and value; on a tie of times the one applied last. */
  lt?: number;
  lv?: Scalar;
  /** Per value (see `encodeScalar`): how often, and when last; at most MAX_VALUES entries. */
  vs?: Record<string, [count: number, last: number]>;
  /** Set once a new value found `vs` full: distinct counts are then lower bounds. */
  vx?: 1;
}

/** A state for a profile the engine has seen nothing of. */
export function emptyState(): ProfileState {
  return { v: 1, streams: {} };
}
