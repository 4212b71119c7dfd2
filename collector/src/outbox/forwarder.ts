import type { FastifyBaseLogger } from 'fastify';
import type { Metrics } from '../metrics.js';
import type { EventStore } from '../store/types.js';
import type { Sink } from './sink.js';
import { Waker } from './waker.js';

/** Backoff between failed deliveries: exponential with full jitter, capped. */
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 30_000;
/** Poll interval when no commit has signalled new events (covers other writers of the store). */
const IDLE_POLL_MS = 1000;

/**
 * Hands committed events to sinks through the outbox: the events table read in `seq` order,
 * with one persisted cursor per sink. A sink that is down, or a restart, resumes at its cursor,
 * so nothing is skipped; the cursor moves only after a delivery succeeds.
 */
export class Forwarder {
  private readonly _abort = new AbortController();
  private readonly _loops: Promise<void>[] = [];
  private readonly _waker = new Waker();
  private readonly _cursors = new Map<string, number>();

  constructor(
    private readonly _store: EventStore,
    private readonly _sinks: readonly Sink[],
    private readonly _metrics: Metrics,
    private readonly _log: FastifyBaseLogger,
  ) {}

  /** Reads each sink's cursor (so lag is known from the start), then starts its delivery loop. */
  async start(): Promise<void> {
    for (const sink of this._sinks)
      this._cursors.set(sink.name, await this._store.getCursor(sink.name));
    for (const sink of this._sinks) this._loops.push(this._run(sink));
  }

  /** Signals that new events were committed. */
  wake(): void {
    this._waker.wake();
  }

  /** Events committed up to `lastSeq` but not yet delivered, per sink; asks nothing of the store. */
  lag(lastSeq: number): Record<string, number> {
    // A sink whose cursor has not been read yet has no known lag; it is left out, not guessed.
    const known = this._sinks.filter((s) => this._cursors.has(s.name));
    return Object.fromEntries(
      known.map((s) => [s.name, Math.max(0, lastSeq - (this._cursors.get(s.name) ?? 0))]),
    );
  }

  /** Stops the loops; a delivery in progress is abandoned and will be repeated on restart. */
  async stop(): Promise<void> {
    this._abort.abort();
    this.wake();
    await Promise.allSettled(this._loops);
  }

  private async _run(sink: Sink): Promise<void> {
    const signal = this._abort.signal;
    let cursor = this._cursors.get(sink.name) ?? 0;
    let failures = 0;
    while (!signal.aborted) {
      try {
        const events = await this._store.readOutbox(cursor, sink.batchSize);
        if (events.length === 0) {
          await this._waker.sleep(IDLE_POLL_MS, signal);
          continue;
        }
        await sink.deliver(events, signal);
        cursor = events.at(-1)?.seq ?? cursor;
        await this._store.setCursor(sink.name, cursor);
        this._cursors.set(sink.name, cursor);
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        failures++;
        this._metrics.sinkFailures.inc({ sink: sink.name });
        const delay =
          Math.random() * Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(failures, 16));
        this._log.warn(
          { sink: sink.name, err: error, retryInMs: Math.round(delay) },
          'sink delivery failed',
        );
        await this._waker.sleep(delay, signal, false);
      }
    }
  }
}
