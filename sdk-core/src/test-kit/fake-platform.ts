import {
  createMemoryStorage,
  type KeyValueStorage,
  type Platform,
  type TransportRequest,
  type TransportResult,
} from '../platform.js';

/** A request the fake transport received, with its parsed body. */
export interface Sent {
  request: TransportRequest;
  batch: Record<string, unknown>[];
  at: number;
}

/** How the fake transport answers a request: a result, or a promise of one (to hold it). */
export type Answer = TransportResult | Promise<TransportResult>;

/**
 * A platform whose clock, timers, ids, randomness, storage and network the test controls:
 * `advance(ms)` runs due timers in time order; the transport records every request and answers
 * with `respond` (200 by default).
 */
export function createFakePlatform(
  options: { storage?: KeyValueStorage; context?: Record<string, unknown> } = {},
) {
  let now = Date.parse('2026-11-22T08:00:00.000Z');
  let ids = 0;
  let timerIds = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const sent: Sent[] = [];
  let respond: (request: TransportRequest, index: number) => Answer = () => ok();
  const platform: Platform = {
    transport: {
      send: (request) => {
        const body = JSON.parse(request.body) as { batch: Record<string, unknown>[] };
        sent.push({ request, batch: body.batch, at: now });
        return Promise.resolve(respond(request, sent.length - 1));
      },
    },
    storage: options.storage ?? createMemoryStorage(),
    now: () => now,
    uuid: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    random: () => 0.5,
    schedule: (fn, ms) => {
      const id = ++timerIds;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return () => timers.delete(id);
    },
    context: () => options.context ?? { locale: 'zh-CN' },
  };
  return {
    platform,
    sent,
    /** Every event sent, in order, across requests. */
    events: () => sent.flatMap((s) => s.batch),
    answer(fn: (request: TransportRequest, index: number) => Answer) {
      respond = fn;
    },
    /** Moves the clock, running due timers (and the promise jobs they start) in order. */
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        await settle();
        const due = [...timers.entries()]
          .filter(([, t]) => t.at <= end)
          .sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].fn();
      }
      now = end;
      await settle();
    },
    pendingTimers: () => timers.size,
  };
}

/** A 200 answer as the collector gives it. */
export function ok(body: Record<string, unknown> = { success: true }): TransportResult {
  return { ok: true, status: 200, retryAfter: null, body: JSON.stringify(body) };
}

/** An answer with a status and optional Retry-After. */
export function status(
  code: number,
  retryAfter: string | null = null,
  body = '{}',
): TransportResult {
  return { ok: true, status: code, retryAfter, body };
}

/** Lets every queued promise job run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
