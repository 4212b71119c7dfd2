/** Inputs to {@link correctTimestamp}, all epoch ms. */
export interface EventTimes {
  /** When the event happened by the sender's clock (`originalTimestamp`, else `timestamp`). */
  original: number | null;
  /** When the sender sent it, by the same clock. */
  sentAt: number | null;
  receivedAt: number;
}

/**
 * Segment's clock-skew correction: a device whose clock is off by Δ stamps both the event and
 * the send time off by Δ, so `receivedAt − (sentAt − original)` recovers the event's true time.
 * Without a send time the sender's time is trusted as given; without either, receipt time is used.
 */
export function correctTimestamp({ original, sentAt, receivedAt }: EventTimes): number {
  if (original === null) return receivedAt;
  if (sentAt === null) return original;
  return receivedAt - (sentAt - original);
}

/** Parses an already validated ISO-8601 string; `null` for absent values. */
export function parseTime(value: string | undefined): number | null {
  if (value === undefined) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}
