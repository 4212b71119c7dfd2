import { Dispatcher, utf8Length, type QueuedEvent } from './dispatcher.js';
import type { DeliveryStats, DropReason } from './drops.js';
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

/** When and where a call was made. */
interface CallSite {
  now: number;
  context: Record<string, unknown>;
}

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
  /** Time and context of the call a deferred run belongs to. */
  private _site: CallSite | undefined;
  /** The platform's last context object and its sanitised copy (see `_context`). */
  private _rawContext: unknown;
  private _cleanContext: Fields = {};

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
      { ...this.options, url: this.options.host + this.options.path },
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
      this._dispatcher.drop(
        'queue_overflow',
        1,
        [],
        'a call made before the stored state was loaded',
      );
    }
    // What the call is about is read now: a page shown meanwhile is not the page it was made on.
    let site: CallSite | undefined;
    try {
      site = { now: this.platform.now(), context: this.platform.context() };
    } catch {
      // The platform could not say; the event takes what it says when it runs.
    }
    this._backlog.push(() => {
      this._site = site;
      run();
      this._site = undefined;
    });
  }

  report(code: ClientError['code'], message: string): void {
    this.events.emit('error', { code, message });
  }

  /** Builds, runs through the plugins, and queues one event. */
  emit(type: string, fields: Fields, call: CallOptions | undefined): void {
    const options = sanitizeObject(call).value as CallOptions;
    const messageId =
      typeof options.messageId === 'string' && options.messageId !== ''
        ? options.messageId
        : this.platform.uuid();
    const drop = (reason: DropReason, detail: string) =>
      this._dispatcher.drop(reason, 1, [messageId], detail);
    if (this.closed) return drop('closed', 'the client is closed');
    if (this.consent === 'denied') return drop('consent', 'consent was refused');
    const ids = this._identityOf(options);
    if (!ids) {
      this.report('invalid', `${type}: every call needs a userId or anonymousId on the server`);
      return drop('invalid', 'no userId or anonymousId');
    }
    const identities = { ...this.state.identities, ...options.identities };
    const event: OutgoingEvent = {
      type,
      messageId,
      timestamp: timestampOf(options.timestamp, this._site ? this._site.now : this.platform.now()),
      ...ids,
      context: {
        ...this._context(),
        ...options.context,
        library: this.options.library,
      },
      ...fields,
    };
    if (Object.keys(identities).length > 0) event['identities'] = identities;
    const result = runPipeline(this.options.plugins, event);
    if (!result.ok) return drop(result.reason, result.detail);
    // The parts were sanitised as they came in; only plugins can add anything unsafe since.
    const json = JSON.stringify(
      this._transforms ? sanitize(result.event).value : sanitizeStrings(result.event),
    );
    const bytes = utf8Length(json);
    if (bytes > MAX_EVENT_BYTES) {
      this.report('too_large', `${type} is ${bytes} bytes; the limit is ${MAX_EVENT_BYTES}`);
      return drop('too_large', 'over 32 KB');
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
    const stats = this._dispatcher.stats;
    return { ...stats, dropped: { ...stats.dropped } };
  }

  close(timeoutMs: number): Promise<void> {
    // In call order: calls made before close() (perhaps still waiting for the stored state)
    // are taken; calls after it are not.
    this.guard('close', () => {
      this.closed = true;
    });
    return this.ready.then(() => {
      let cancel = () => {};
      const timedOut = new Promise<void>((resolve) => {
        cancel = this.platform.schedule(resolve, timeoutMs);
      });
      return Promise.race([this._dispatcher.flush(), timedOut]).then(() => {
        cancel();
        this._dispatcher.discard('closed');
        this._dispatcher.stop();
      });
    });
  }

  /** Who the event is about: the call says so on a server (requireUser), else the state does. */
  private _identityOf(options: CallOptions): Fields | null {
    const kept: Partial<IdentityState> = this.options.requireUser ? {} : this.state;
    const anonymousId = options.anonymousId || kept.anonymousId;
    const userId = options.userId || kept.userId;
    if (!anonymousId && !userId) return null;
    const ids: Fields = {};
    if (anonymousId) ids['anonymousId'] = String(anonymousId);
    if (userId) ids['userId'] = String(userId);
    return ids;
  }

  private _load(): Promise<void> {
    return this._store
      .load()
      .then((stored) => {
        if (stored.consent) this.consent = stored.consent;
        this._dispatcher.paused = this.consent !== 'granted';
        const identity = stored.identity;
        if (!this.options.requireUser && typeof identity.anonymousId === 'string') {
          this.state = { ...this.state, ...identity };
        }
        this.restore(stored.queue);
      })
      .catch((error: unknown) => {
        this.report('storage', `could not load the stored state: ${String(error)}`);
      })
      .then(() => {
        this.loaded = true;
        this.saveIdentity();
        for (const run of this._backlog.splice(0)) run();
      });
  }

  /**
   * The platform's context, sanitised. A platform that hands back the same object while nothing
   * changed has it sanitised once (it showed up at a third of a mini-program's track call); the
   * copy's nested objects are then shared by events, so not while a plugin could change them.
   */
  private _context(): Fields {
    const site = this._site;
    if (site) return sanitize(site.context).value as Fields;
    const raw = this.platform.context();
    if (raw !== this._rawContext || this.options.plugins.length > 0) {
      this._rawContext = raw;
      this._cleanContext = sanitize(raw).value as Fields;
    }
    return this._cleanContext;
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
    if (this._pendingSaves.size === 0) {
      void Promise.resolve().then(() => {
        const saves = [...this._pendingSaves];
        this._pendingSaves.clear();
        for (const [k, v] of saves) {
          const value: unknown = typeof v === 'function' ? (v as () => unknown)() : v;
          this._store.save(k, value).catch((e: unknown) => this.report('storage', String(e)));
        }
      });
    }
    this._pendingSaves.set(key, value);
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

/** The call's timestamp (else `now`) as ISO-8601 UTC: the collector accepts nothing else. */
function timestampOf(value: Date | string | undefined, now: number): string {
  const given =
    value instanceof Date || typeof value === 'string' ? new Date(value).getTime() : NaN;
  return isoOf(Number.isNaN(given) ? now : given);
}
