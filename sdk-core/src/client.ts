import { Dispatcher, utf8Length, type QueuedEvent } from './dispatcher.js';
import type { DeliveryStats, DropNotice } from './drops.js';
import { Emitter, type ClientError } from './emitter.js';
import {
  MAX_EVENT_BYTES,
  resolveOptions,
  type ClientOptions,
  type ResolvedOptions,
} from './options.js';
import type { Platform } from './platform.js';
import { runDeliver, runPipeline, type OutgoingEvent } from './plugins.js';
import { sanitize, sanitizeObject, sanitizeStrings } from './sanitize.js';
import { StateStore, type Consent, type IdentityState } from './state.js';

/** Per-call settings; on servers, who the call is about. */
export interface CallOptions {
  userId?: string;
  anonymousId?: string;
  timestamp?: Date | string;
  messageId?: string;
  context?: Record<string, unknown>;
  identities?: Record<string, string>;
}

type Fields = Record<string, unknown>;

/** An unsent event as it is persisted (and as `restore()` takes it back). */
export type PersistedEvent = Pick<QueuedEvent, 'messageId' | 'json' | 'attempts'>;

/**
 * The state and delivery behind every SDK's client API (api.ts). Everything public is reached
 * through `guard`, so nothing the host passes can make it throw; calls made before the stored
 * state is loaded wait for it, in order.
 */
export class ClientCore {
  readonly options: ResolvedOptions;
  readonly events = new Emitter();
  readonly ready: Promise<void>;
  state: IdentityState;
  consent: Consent;
  closed = false;
  private readonly _dispatcher: Dispatcher;
  private readonly _store: StateStore;
  /** The stored state is loaded: calls run at once. */
  loaded = false;
  private _backlog: (() => void)[] = [];
  private _saveQueued = false;

  constructor(
    readonly platform: Platform,
    options: ClientOptions,
  ) {
    this.options = resolveOptions(options);
    this._transforms = this.options.plugins.some(
      (p) => typeof p?.enrich === 'function' || typeof p?.filter === 'function',
    );
    this.consent = this.options.consent;
    this.state = this._freshIdentity();
    this._store = new StateStore(platform.storage, this.options.storagePrefix);
    this._dispatcher = new Dispatcher(
      platform,
      {
        url: this.options.host + this.options.path,
        writeKey: this.options.writeKey,
        flushAt: this.options.flushAt,
        flushIntervalMs: this.options.flushInterval,
        maxBatchBytes: this.options.maxBatchBytes,
        maxQueueSize: this.options.maxQueueSize,
        maxRetries: this.options.maxRetries,
        timeoutMs: this.options.timeout,
        backoff: this.options.backoff,
      },
      { drop: (n) => this.events.emit('drop', n), changed: () => this._queueChanged() },
    );
    this._dispatcher.paused = this.consent !== 'granted';
    this.ready = this._load();
  }

  /** Runs `fn` now if the state is loaded, else after; errors go to the error channel. */
  guard(method: string, fn: () => void): void {
    const run = () => {
      try {
        fn();
      } catch (error) {
        this.report('internal', `${method} failed: ${String(error)}`);
      }
    };
    if (this.loaded) return run();
    // Calls wait for the stored state in memory; bounded like the queue they are headed for.
    if (this._backlog.length >= this.options.maxQueueSize) {
      this._backlog.shift();
      this._dispatcher.stats.dropped.queue_overflow++;
      this.events.emit('drop', {
        reason: 'queue_overflow',
        count: 1,
        messageIds: [],
        detail: 'a call made before the stored state was loaded',
      });
    }
    this._backlog.push(run);
  }

  report(code: ClientError['code'], message: string): void {
    this.events.emit('error', { code, message });
  }

  drop(reason: DropNotice['reason'], messageId: string, detail: string): void {
    this._dispatcher.stats.dropped[reason]++;
    this.events.emit('drop', { reason, count: 1, messageIds: [messageId], detail });
  }

  /** Builds, runs through the plugins, and queues one event. */
  emit(type: string, fields: Fields, call: CallOptions | undefined): void {
    const options = sanitizeObject(call).value as CallOptions;
    const messageId =
      typeof options.messageId === 'string' && options.messageId !== ''
        ? options.messageId
        : this.platform.uuid();
    if (this.closed) return this.drop('closed', messageId, 'the client is closed');
    if (this.consent === 'denied') return this.drop('consent', messageId, 'consent was refused');
    const ids = this._identityOf(options);
    if (!ids) {
      this.report('invalid', `${type}: every call needs a userId or anonymousId on the server`);
      return this.drop('invalid', messageId, 'no userId or anonymousId');
    }
    const identities = { ...this.state.identities, ...options.identities };
    const event: OutgoingEvent = {
      type,
      messageId,
      timestamp: timestampOf(options.timestamp, this.platform.now()),
      ...ids,
      context: {
        ...(sanitize(this.platform.context()).value as Fields),
        ...options.context,
        library: this.options.library,
      },
      ...fields,
    };
    if (Object.keys(identities).length > 0) event['identities'] = identities;
    const result = runPipeline(this.options.plugins, event);
    if (!result.ok) return this.drop(result.reason, messageId, result.detail);
    // The parts were sanitised as they came in; only plugins can add anything unsafe since.
    const json = JSON.stringify(
      this._transforms ? sanitize(result.event).value : sanitizeStrings(result.event),
    );
    const bytes = utf8Length(json);
    if (bytes > MAX_EVENT_BYTES) {
      this.report('too_large', `${type} is ${bytes} bytes; the limit is ${MAX_EVENT_BYTES}`);
      return this.drop('too_large', messageId, 'over 32 KB');
    }
    this._dispatcher.enqueue(messageId, json, 0, bytes);
    runDeliver(this.options.plugins, result.event, (m) => this.report('plugin', m));
  }

  /** Sanitised properties, with a report when something had to change. */
  clean(what: string, value: unknown): Fields {
    const { value: clean, changes } = sanitizeObject(value);
    if (changes.length > 0) this.report('sanitized', `${what}: ${changes.slice(0, 5).join('; ')}`);
    return clean;
  }

  setConsent(consent: Consent): void {
    this.consent = consent;
    this._dispatcher.paused = consent !== 'granted';
    if (consent === 'denied') {
      this._dispatcher.discard('consent');
      void this._store
        .clear()
        .then(() => this._store.save('consent', 'denied'))
        .catch((e: unknown) => this.report('storage', String(e)));
    } else if (consent === 'granted') {
      this._dispatcher.pump();
      this.saveIdentity();
      this._queueChanged();
      this._saveSoon('consent', 'granted');
    }
  }

  saveIdentity(): void {
    if (!this.options.requireUser) this._saveSoon('identity', this.state);
  }

  resetIdentity(): void {
    const superProperties = this.state.superProperties;
    this.state = { ...this._freshIdentity(), superProperties };
    this.saveIdentity();
  }

  flush(): Promise<void> {
    return this._dispatcher.flush();
  }

  /** Queues events persisted by this client or another (a closed tab's), unless consent forbids. */
  restore(items: unknown): void {
    if (this.consent !== 'granted' || this.closed || !Array.isArray(items)) return;
    for (const item of items as Partial<QueuedEvent>[]) {
      if (typeof item?.messageId === 'string' && typeof item.json === 'string') {
        this._dispatcher.enqueue(item.messageId, item.json, Number(item.attempts) || 0);
      }
    }
  }

  /** See {@link Dispatcher.drain}; returns what is left unsent (in flight first). */
  drain(send: (body: string, messageIds: string[]) => boolean, maxBytes: number): PersistedEvent[] {
    if (this.consent !== 'granted') return [];
    this._dispatcher.drain(send, maxBytes);
    return this._persisted();
  }

  stats(): DeliveryStats {
    return structuredCloneStats(this._dispatcher.stats);
  }

  async close(timeoutMs: number): Promise<void> {
    // In call order: calls made before close() (perhaps still waiting for the stored state)
    // are taken; calls after it are not.
    this.guard('close', () => {
      this.closed = true;
    });
    await this.ready;
    let cancel = () => {};
    const timedOut = new Promise<void>((resolve) => {
      cancel = this.platform.schedule(resolve, timeoutMs);
    });
    await Promise.race([this._dispatcher.flush(), timedOut]);
    cancel();
    this._dispatcher.discard('closed');
    this._dispatcher.stop();
  }

  private _identityOf(options: CallOptions): (Pick<IdentityState, 'userId'> & Fields) | null {
    if (this.options.requireUser) {
      if (!options.userId && !options.anonymousId) return null;
      const ids: Fields = {};
      if (options.userId) ids['userId'] = String(options.userId);
      if (options.anonymousId) ids['anonymousId'] = String(options.anonymousId);
      return ids as Pick<IdentityState, 'userId'> & Fields;
    }
    const ids: Fields = { anonymousId: options.anonymousId ?? this.state.anonymousId };
    const userId = options.userId ?? this.state.userId;
    if (userId) ids['userId'] = userId;
    return ids as Pick<IdentityState, 'userId'> & Fields;
  }

  private async _load(): Promise<void> {
    try {
      const stored = await this._store.load();
      if (stored.consent) this.consent = stored.consent;
      this._dispatcher.paused = this.consent !== 'granted';
      const identity = stored.identity;
      if (!this.options.requireUser && typeof identity.anonymousId === 'string') {
        this.state = { ...this.state, ...identity };
      }
      this.restore(stored.queue);
    } catch (error) {
      this.report('storage', `could not load the stored state: ${String(error)}`);
    }
    this.loaded = true;
    this.saveIdentity();
    for (const run of this._backlog.splice(0)) run();
  }

  private _freshIdentity(): IdentityState {
    return {
      anonymousId: this.platform.uuid(),
      userId: null,
      traits: {},
      identities: {},
      superProperties: {},
    };
  }

  /**
   * Schedules a save of the unsent queue. The queue is read when the save runs, once per
   * microtask: reading it on every change made enqueueing O(n) in the queue's length.
   */
  private _queueChanged(): void {
    if (this.consent !== 'granted' || this.closed || !this.options.persistQueue) return;
    this._saveSoon('queue', () => this._persisted());
  }

  private _persisted(): PersistedEvent[] {
    return this._dispatcher
      .pending()
      .map(({ messageId, json, attempts }) => ({ messageId, json, attempts }));
  }

  /** Writes once per microtask at most, whatever changed how often meanwhile. */
  private _saveSoon(key: 'identity' | 'consent' | 'queue', value: unknown): void {
    if (this.consent !== 'granted' && key !== 'consent') return;
    this._pendingSaves.set(key, value);
    if (this._saveQueued) return;
    this._saveQueued = true;
    void Promise.resolve().then(() => {
      this._saveQueued = false;
      const saves = [...this._pendingSaves];
      this._pendingSaves.clear();
      for (const [k, v] of saves) {
        const value: unknown = typeof v === 'function' ? (v as () => unknown)() : v;
        this._store.save(k, value).catch((e: unknown) => this.report('storage', String(e)));
      }
    });
  }

  /** Whether a plugin can change events (and so add unsafe values) after they are built. */
  private readonly _transforms: boolean;
  private readonly _pendingSaves = new Map<'identity' | 'consent' | 'queue', unknown>();
}

let lastNow = NaN;
let lastIso = '';
/** `new Date(now).toISOString()`, once per millisecond: it showed up at 7 % of a track call. */
function isoOf(now: number): string {
  if (now !== lastNow) {
    lastNow = now;
    lastIso = new Date(now).toISOString();
  }
  return lastIso;
}

function timestampOf(value: Date | string | undefined, now: number): string {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  // Re-written as ISO-8601 UTC: the collector accepts nothing else ("2026" parses, but is not).
  if (typeof value === 'string' && Number.isFinite(Date.parse(value))) {
    return new Date(Date.parse(value)).toISOString();
  }
  return isoOf(now);
}

function structuredCloneStats(stats: DeliveryStats): DeliveryStats {
  return { ...stats, dropped: { ...stats.dropped } };
}
