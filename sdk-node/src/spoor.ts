import { randomUUID } from 'node:crypto';
import {
  createClient,
  createMemoryStorage,
  type CallOptions,
  type ClientEvents,
  type DeliveryStats,
  type Platform,
  type Plugin,
  type SpoorClient,
} from '@spoor/sdk-core';
import { createHttpTransport } from './transport.js';
import { VERSION } from './version.js';

type Props = Record<string, unknown>;

/** Options of {@link Spoor}. */
export interface SpoorOptions {
  writeKey: string;
  /** The collector, e.g. `https://collect.example.com`. */
  host: string;
  /** Ingest path (default `/v1/batch`). */
  path?: string;
  /** Events per request (default 100). */
  flushAt?: number;
  /** Most ms an event waits (default 1,000). */
  flushInterval?: number;
  /** Events held at most while the collector is slow or down; the oldest are dropped beyond (default 100,000). */
  maxQueueSize?: number;
  /** Request timeout in ms (default 10,000). */
  timeout?: number;
  /** Compress request bodies (default true). */
  gzip?: boolean;
  /** Retries before an event is dropped (default 10). */
  maxRetries?: number;
  /** Retry delays: full jitter under min(maxMs, baseMs · 2^attempt) (default 500 ms, 60 s). */
  backoff?: { baseMs: number; maxMs: number };
  /**
   * For short-lived functions: every call is sent at once (flushAt 1), so `await spoor.flush()`
   * before the function returns is cheap. Default false.
   */
  serverless?: boolean;
  plugins?: Plugin[];
}

/**
 * The Node.js client. Every call needs `{ userId }` or `{ anonymousId }` in its options (a
 * server talks about many people); nothing throws into the service: problems are reported on
 * `on('error')` and dropped events on `on('drop')`. Call `close()` on shutdown (SIGTERM) to
 * deliver what is queued.
 */
export class Spoor {
  private readonly _client: SpoorClient;
  private readonly _transport: ReturnType<typeof createHttpTransport>;

  constructor(options: SpoorOptions) {
    this._transport = createHttpTransport({
      writeKey: String(options?.writeKey ?? ''),
      gzip: options?.gzip !== false,
    });
    const platform: Platform = {
      transport: this._transport,
      storage: createMemoryStorage(),
      now: Date.now,
      uuid: randomUUID,
      random: Math.random,
      schedule: (fn, ms) => {
        // Timers never keep the process alive: close() is what waits for delivery.
        const timer = setTimeout(fn, ms);
        timer.unref();
        return () => clearTimeout(timer);
      },
      context: () => ({}),
    };
    const serverless = options?.serverless === true;
    this._client = createClient(platform, {
      writeKey: String(options?.writeKey ?? ''),
      host: String(options?.host ?? ''),
      ...(options?.path !== undefined ? { path: options.path } : {}),
      flushAt: serverless ? 1 : (options?.flushAt ?? 100),
      flushInterval: serverless ? 0 : (options?.flushInterval ?? 1000),
      maxQueueSize: options?.maxQueueSize ?? 100_000,
      maxRetries: options?.maxRetries ?? 10,
      ...(options?.backoff ? { backoff: options.backoff } : {}),
      timeout: options?.timeout ?? 10_000,
      library: { name: '@spoor/node', version: VERSION },
      plugins: options?.plugins ?? [],
      requireUser: true,
      // The storage is memory: a persisted copy of the queue would only cost time.
      persistQueue: false,
    });
  }

  track(event: string, properties?: Props, options?: CallOptions): void {
    this._client.track(event, properties, options);
  }
  identify(userId: string, traits?: Props, options?: CallOptions): void {
    this._client.identify(userId, traits, options);
  }
  page(name: string, properties?: Props, options?: CallOptions): void {
    this._client.page(undefined, name, properties, options);
  }
  screen(name: string, properties?: Props, options?: CallOptions): void {
    this._client.screen(name, properties, options);
  }
  group(groupId: string, traits?: Props, options?: CallOptions): void {
    this._client.group(groupId, traits, options);
  }
  alias(userId: string, previousId: string, options?: CallOptions): void {
    this._client.alias(userId, previousId, options);
  }
  setOnce(traits: Props, options: CallOptions): void {
    this._client.setOnce(traits, options);
  }
  increment(values: Record<string, number>, options: CallOptions): void {
    this._client.increment(values, options);
  }
  append(values: Record<string, unknown[]>, options: CallOptions & { unique?: boolean }): void {
    this._client.append(values, options);
  }
  unset(keys: string[], options: CallOptions): void {
    this._client.unset(keys, options);
  }

  /** Resolves when everything enqueued before the call is delivered or dropped, in flight included. */
  flush(): Promise<void> {
    return this._client.flush();
  }

  /**
   * Stops taking events, delivers what is queued (waiting out retries) for up to `timeoutMs`,
   * then drops the rest as `closed` and releases connections.
   */
  async close(timeoutMs = 10_000): Promise<void> {
    await this._client.close(timeoutMs);
    this._transport.destroy();
  }

  on<K extends keyof ClientEvents>(
    name: K,
    listener: (payload: ClientEvents[K]) => void,
  ): () => void {
    return this._client.on(name, listener);
  }

  stats(): DeliveryStats {
    return this._client.stats();
  }
}
