// The time of one evaluation, and the record of when passing time alone may change a result:
// the earliest such instant becomes `nextChangeAt`, when the scheduler evaluates the profile again.

/** `now` and the day offset, plus a place to note future instants at which a result may change. */
export interface Clock {
  readonly now: number;
  readonly offsetMs: number;
  /**
   * Notes that a result may change at `at` with nothing but time passing. Instants not after
   * `now`, and Infinity (never), are ignored. Noting too early is harmless (the scheduler finds
   * nothing changed and asks again); too late would leave a membership stale, so callers note
   * every candidate.
   */
  noteChange(at: number): void;
}

/** A clock that keeps the earliest noted change. */
export interface RecordingClock extends Clock {
  readonly nextChangeAt: number | null;
}

/** A clock at `now`. */
export function createClock(now: number, offsetMs: number): RecordingClock {
  let next: number | null = null;
  return {
    now,
    offsetMs,
    noteChange(at) {
      if (at > now && at < Infinity && (next === null || at < next)) next = at;
    },
    get nextChangeAt() {
      return next;
    },
  };
}
