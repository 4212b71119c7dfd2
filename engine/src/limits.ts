// Caps that keep one profile's state small whatever its events do. Beyond them results are
// approximate, and `evaluate` says so.

/** Distinct values kept per accumulator for distinct_count and most_frequent. */
export const MAX_VALUES = 1000;

/** Occurrence times kept per stream for sequence and notFollowedBy conditions (newest kept). */
export const MAX_TIMES = 1000;
