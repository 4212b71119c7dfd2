/** Why an event was not delivered: a closed list, so that counts can be keyed on it. */
export const DROP_REASONS = [
  /** The queue was full; the oldest event made room. */
  'queue_overflow',
  /** The collector refused the event (4xx, or listed in `rejected` of a 200). */
  'rejected',
  /** Alone in a request, still over the collector's size limit. */
  'too_large',
  /** Every retry failed. */
  'retries_exhausted',
  /** A plugin returned null. */
  'filtered',
  /** A plugin threw. */
  'plugin_error',
  /** Consent was refused (optOut) or the event arrived after it. */
  'consent',
  /** A call was malformed (e.g. no event name, no user on the server). */
  'invalid',
  /** The client was closed before the event could be delivered. */
  'closed',
] as const;

/** One of {@link DROP_REASONS}. */
export type DropReason = (typeof DROP_REASONS)[number];

/** What listeners of `drop` receive. */
export interface DropNotice {
  reason: DropReason;
  count: number;
  messageIds: string[];
  /** Human-readable detail: the collector's error code, the plugin's name … */
  detail?: string;
}

/** Counters a client exposes through `stats()`. */
export interface DeliveryStats {
  enqueued: number;
  delivered: number;
  queued: number;
  retries: number;
  dropped: Record<DropReason, number>;
}

/** Fresh counters. */
export function emptyStats(): DeliveryStats {
  const dropped = Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>;
  return { enqueued: 0, delivered: 0, queued: 0, retries: 0, dropped };
}
