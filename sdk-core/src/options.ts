import type { Plugin } from './plugins.js';
import type { Consent } from './state.js';

/** What an SDK passes to {@link createClient}. */
export interface ClientOptions {
  writeKey: string;
  /** Collector origin, e.g. `https://t.example.com` (may be the site's own origin). */
  host: string;
  /** Ingest path; configurable so that first-party proxies can avoid paths block lists know. */
  path?: string;
  /** Events that trigger a send (default 20). */
  flushAt?: number;
  /** Most ms an event waits before a send (default 10,000). */
  flushInterval?: number;
  /** Request body limit in bytes (default 450,000; the collector takes 500 KB). */
  maxBatchBytes?: number;
  /** Queued events kept at most; the oldest is dropped beyond (default 1,000). */
  maxQueueSize?: number;
  /** Attempts after the first before an event is dropped (default 10). */
  maxRetries?: number;
  /** Request timeout in ms (default 10,000). */
  timeout?: number;
  /** Retry delays: full jitter under min(maxMs, baseMs · 2^attempt) (default 500 ms, 60 s). */
  backoff?: { baseMs: number; maxMs: number };
  /** `context.library` of every event. */
  library: { name: string; version: string };
  plugins?: Plugin[];
  /** Consent before the user has chosen (default `granted`). */
  consent?: Consent;
  /** Every call must carry a userId or anonymousId (servers); no identity is kept between calls. */
  requireUser?: boolean;
  /** Prefix of the storage keys (default `spoor.`). */
  storagePrefix?: string;
  /** Keep the unsent queue in storage, to survive reloads (default true; pointless in memory). */
  persistQueue?: boolean;
}

/** {@link ClientOptions} with defaults applied. */
export type ResolvedOptions = Required<Omit<ClientOptions, 'consent'>> & { consent: Consent };

/** The largest event the collector accepts, in bytes of JSON. */
export const MAX_EVENT_BYTES = 32 * 1024;

/** Applies defaults and bounds. */
export function resolveOptions(given: ClientOptions): ResolvedOptions {
  const options = (typeof given === 'object' && given !== null ? given : {}) as ClientOptions;
  // A number out of range is clamped to it; anything else falls back to the default.
  const int = (value: unknown, fallback: number, min: number, max: number) =>
    typeof value === 'number' && Number.isFinite(value)
      ? Math.min(max, Math.max(min, Math.round(value)))
      : fallback;
  const backoff = options.backoff || ({} as Partial<ClientOptions['backoff'] & object>);
  return {
    writeKey: String(options.writeKey),
    host: String(options.host).replace(/\/+$/, ''),
    path:
      typeof options.path === 'string' && options.path.startsWith('/') ? options.path : '/v1/batch',
    flushAt: int(options.flushAt, 20, 1, 2500),
    flushInterval: int(options.flushInterval, 10_000, 0, 3_600_000),
    maxBatchBytes: int(options.maxBatchBytes, 450_000, 1024, 500_000),
    maxQueueSize: int(options.maxQueueSize, 1000, 1, 10_000_000),
    maxRetries: int(options.maxRetries, 10, 0, 1000),
    timeout: int(options.timeout, 10_000, 100, 600_000),
    backoff: {
      baseMs: int(backoff.baseMs, 500, 1, 600_000),
      maxMs: int(backoff.maxMs, 60_000, 1, 3_600_000),
    },
    library:
      typeof options.library === 'object' && options.library !== null
        ? options.library
        : { name: 'unknown', version: '0' },
    plugins: Array.isArray(options.plugins)
      ? options.plugins.filter(
          (p): p is Plugin => typeof p === 'object' && p !== null && typeof p.name === 'string',
        )
      : [],
    consent: options.consent || 'granted',
    requireUser: options.requireUser === true,
    storagePrefix: typeof options.storagePrefix === 'string' ? options.storagePrefix : 'spoor.',
    persistQueue: options.persistQueue !== false,
  };
}
