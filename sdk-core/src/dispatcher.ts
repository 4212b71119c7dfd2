import { backoffDelay, retryAfterMs } from './backoff.js';
import { emptyStats, type DeliveryStats, type DropNotice, type DropReason } from './drops.js';
import { Fifo } from './fifo.js';
import type { ResolvedOptions } from './options.js';
import type { Platform } from './platform.js';

/** An event waiting for delivery, serialised once. */
export interface QueuedEvent {
  messageId: string;
  json: string;
  /** Order of enqueueing, for `flush()`. */
  seq: number;
  attempts: number;
  /** UTF-8 length of `json`. */
  bytes: number;
}

/** Delivery settings: the client's resolved options, and where to send. */
export type DispatchOptions = Pick<
  ResolvedOptions,
  | 'writeKey'
  | 'flushAt'
  | 'flushInterval'
  | 'maxBatchBytes'
  | 'maxQueueSize'
  | 'maxRetries'
  | 'timeout'
  | 'backoff'
> & { url: string };

/** What the dispatcher tells its owner. */
export interface DispatchHooks {
  drop(notice: DropNotice): void;
  /** The unsent events changed (read them with `pending()` when needed: copying is O(n)). */
  changed(): void;
}

/**
 * The queue and its delivery: batches by count, interval and bytes; one request in flight, so
 * events arrive in order; retries with full-jitter backoff or the collector's Retry-After; no
 * retry for other 4xx; a 413 batch is split; a full queue drops its oldest event. Every event
 * ends delivered or dropped with a reason, and `flush()` waits for exactly that.
 */
export class Dispatcher {
  readonly stats: DeliveryStats = emptyStats();
  /** While paused (consent pending), events queue but nothing is sent. */
  paused = false;
  private readonly _queue = new Fifo<QueuedEvent>();
  private _inFlight: QueuedEvent[] = [];
  private _seq = 0;
  private _waiting = false;
  private _flushUntil = 0;
  /** After a 413: the most events per request until the events of that batch are through. */
  private _splitLimit = Infinity;
  private _splitUntil = 0;
  private _cancelTimer: (() => void) | null = null;
  private _waiters: { target: number; resolve: () => void }[] = [];
  private readonly _platform: Platform;
  private readonly _options: DispatchOptions;
  private readonly _hooks: DispatchHooks;

  constructor(platform: Platform, options: DispatchOptions, hooks: DispatchHooks) {
    this._platform = platform;
    this._options = options;
    this._hooks = hooks;
  }

  /** Queues one serialised event. */
  enqueue(messageId: string, json: string, attempts = 0, bytes = utf8Length(json)): void {
    this.stats.enqueued++;
    if (this._queue.length + this._inFlight.length >= this._options.maxQueueSize) {
      const oldest = this._queue.shift();
      if (oldest) this._drop('queue_overflow', [oldest]);
    }
    this._queue.push({ messageId, json, seq: ++this._seq, attempts, bytes });
    this._changed();
    this.pump();
  }

  /** Resolves once everything enqueued so far is delivered or dropped. */
  flush(): Promise<void> {
    const target = this._seq;
    this._flushUntil = Math.max(this._flushUntil, target);
    const done = new Promise<void>((resolve) => this._waiters.push({ target, resolve }));
    this._settleWaiters();
    this.pump();
    return done;
  }

  /** Drops whatever is still queued (not what is in flight), with `reason`. */
  discard(reason: DropReason): void {
    const queued = this._queue.drain();
    if (queued.length > 0) this._drop(reason, queued);
    this._changed();
  }

  /** Stops the interval timer. */
  stop(): void {
    if (this._cancelTimer) this._cancelTimer();
    this._cancelTimer = null;
  }

  /** The unsent events, in flight first. */
  pending(): QueuedEvent[] {
    return [...this._inFlight, ...this._queue.toArray()];
  }

  /**
   * Hands queued events (not those in flight) to `send`, in bodies of at most `maxBytes`, until
   * it refuses one: a page being unloaded cannot wait for answers. Accepted events count as
   * delivered; a refused body's events go back to the head of the queue.
   */
  drain(send: (body: string, messageIds: string[]) => boolean, maxBytes: number): void {
    if (this.paused) return;
    while (this._queue.length > 0) {
      const batch = this._take(Math.min(maxBytes, this._options.maxBatchBytes));
      if (
        !send(
          this._body(batch),
          batch.map((e) => e.messageId),
        )
      ) {
        this._queue.unshift(batch);
        break;
      }
      this.stats.delivered += batch.length;
    }
    this._changed();
    this._settleWaiters();
  }

  /**
   * Counts and announces dropped events: every drop, in the dispatcher or before it, goes here.
   * (`count` may exceed the IDs: a call dropped before its event was built has none.)
   */
  drop(reason: DropReason, count: number, messageIds: string[], detail?: string): void {
    this.stats.dropped[reason] += count;
    const notice: DropNotice = { reason, count, messageIds };
    if (detail !== undefined) notice.detail = detail;
    this._hooks.drop(notice);
  }

  /** Sends what is due; called again whenever something changes (also after unpausing). */
  pump(): void {
    if (this.paused || this._inFlight.length > 0 || this._waiting || this._queue.length === 0)
      return;
    const head = this._queue.first() as QueuedEvent;
    if (this._queue.length < this._options.flushAt && head.seq > this._flushUntil) {
      if (this._cancelTimer) return;
      this._cancelTimer = this._platform.schedule(() => {
        this._cancelTimer = null;
        this._flushUntil = Math.max(this._flushUntil, this._seq);
        this.pump();
      }, this._options.flushInterval);
      return;
    }
    this._send(this._take(this._options.maxBatchBytes));
  }

  private _take(maxBytes: number): QueuedEvent[] {
    const batch: QueuedEvent[] = [];
    // {"batch":[…],"sentAt":"…","writeKey":"…"}: the envelope, then each event and its comma.
    let bytes = 64 + this._options.writeKey.length;
    const splitting = (this._queue.first()?.seq ?? Infinity) <= this._splitUntil;
    const limit = splitting ? this._splitLimit : 2500;
    while (this._queue.length > 0 && batch.length < limit) {
      const next = this._queue.first() as QueuedEvent;
      const size = next.bytes + 1;
      if (batch.length > 0 && bytes + size > maxBytes) break;
      bytes += size;
      batch.push(this._queue.shift() as QueuedEvent);
    }
    return batch;
  }

  private _send(batch: QueuedEvent[]): void {
    this._inFlight = batch;
    this._platform.transport
      .send({
        url: this._options.url,
        body: this._body(batch),
        headers: { 'content-type': 'application/json' },
        timeoutMs: this._options.timeout,
      })
      .then(
        (result) => this._settle(batch, result),
        (error: unknown) => this._settle(batch, { ok: false, error: String(error) }),
      );
  }

  private _body(batch: QueuedEvent[]): string {
    const sentAt = new Date(this._platform.now()).toISOString();
    return `{"batch":[${batch.map((e) => e.json).join(',')}],"sentAt":"${sentAt}","writeKey":${JSON.stringify(this._options.writeKey)}}`;
  }

  private _settle(
    batch: QueuedEvent[],
    result: Awaited<ReturnType<Platform['transport']['send']>>,
  ) {
    this._inFlight = [];
    // Events that were due stay due: a retry or a split must not wait for the next interval.
    // A batch is in seq order (events leave from the head): its last event has the highest.
    const last = (batch[batch.length - 1] as QueuedEvent).seq;
    this._flushUntil = Math.max(this._flushUntil, last);
    if (result.ok && result.status >= 200 && result.status < 300) {
      const listed = answerOf(result.body).rejected;
      const refused = new Set(Array.isArray(listed) ? listed.map((r) => r?.messageId) : []);
      const rejected = batch.filter((e) => refused.has(e.messageId));
      if (rejected.length > 0) this._drop('rejected', rejected, 'listed in the response');
      this.stats.delivered += batch.length - rejected.length;
    } else if (result.ok && result.status === 413) {
      if (batch.length === 1) this._drop('too_large', batch, 'HTTP 413');
      else {
        this._splitLimit = Math.ceil(batch.length / 2);
        this._splitUntil = Math.max(this._splitUntil, last);
        this._queue.unshift(batch);
      }
    } else if (result.ok && !retryable(result.status)) {
      const code = answerOf(result.body).code;
      this._drop(
        'rejected',
        batch,
        `HTTP ${result.status}${typeof code === 'string' ? ` ${code}` : ''}`,
      );
    } else {
      this._retry(batch, result.ok ? result.retryAfter : null);
    }
    this._changed();
    this._settleWaiters();
    this.pump();
  }

  private _retry(batch: QueuedEvent[], retryAfter: string | null): void {
    const again = batch.filter((e) => ++e.attempts <= this._options.maxRetries);
    const exhausted = batch.filter((e) => e.attempts > this._options.maxRetries);
    if (exhausted.length > 0) this._drop('retries_exhausted', exhausted);
    if (again.length === 0) return;
    this.stats.retries++;
    this._queue.unshift(again);
    const attempt = Math.max(...again.map((e) => e.attempts));
    const delay = Math.max(
      retryAfterMs(retryAfter, this._platform.now()) ?? 0,
      backoffDelay(attempt - 1, this._platform.random(), this._options.backoff),
    );
    this._waiting = true;
    this._platform.schedule(() => {
      this._waiting = false;
      this.pump();
    }, delay);
  }

  private _drop(reason: DropReason, events: readonly QueuedEvent[], detail?: string): void {
    this.drop(
      reason,
      events.length,
      events.map((e) => e.messageId),
      detail,
    );
  }

  private _changed(): void {
    this.stats.queued = this._queue.length + this._inFlight.length;
    this._hooks.changed();
  }

  private _settleWaiters(): void {
    // Events leave from the head and come back to it, so in-flight events precede the queue and
    // both are in seq order: the lowest unsettled seq is at the front. (A spread over the queue
    // here overflowed the stack past ~120,000 events, and cost O(n) per request.)
    const lowest = this._inFlight[0]?.seq ?? this._queue.first()?.seq ?? Infinity;
    this._waiters = this._waiters.filter((w) => {
      if (w.target >= lowest) return true;
      w.resolve();
      return false;
    });
  }
}

/** 408, 429 and 5xx are worth retrying; other 4xx will fail the same way again. */
function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500 || status < 200;
}

/** The collector's JSON answer (its `rejected` list, its error `code`); `{}` when not JSON. */
function answerOf(body: string): { rejected?: ({ messageId?: unknown } | null)[]; code?: unknown } {
  try {
    return Object(JSON.parse(body)) as ReturnType<typeof answerOf>;
  } catch {
    return {};
  }
}

/** UTF-8 length of a string without encoding it. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) bytes += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return bytes;
}
