/** Retry timing: exponential backoff with full jitter, and the collector's `Retry-After`. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/**
 * Full jitter (AWS's "Exponential Backoff and Jitter"): a uniform delay in [0, min(max,
 * base·2^attempt)), so that many clients failing together do not retry together.
 */
export function backoffDelay(attempt: number, random: number, options: BackoffOptions): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random * ceiling);
}

/** `Retry-After` as ms: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null || header.trim() === '') return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isFinite(date) ? Math.max(0, date - now) : null;
}
