/** One HTTP request the core asks a platform to make. */
export interface TransportRequest {
  url: string;
  /** JSON text. */
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

/** What came back: a status (any), or a failure to get one (network error, timeout). */
export type TransportResult =
  | { ok: true; status: number; retryAfter: string | null; body: string }
  | { ok: false; error: string };

/** Sends requests; never rejects (failures are results). */
export interface Transport {
  send(request: TransportRequest): Promise<TransportResult>;
}

/** Key-value persistence for identity state and the unsent queue; values are JSON-able. */
export interface KeyValueStorage {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<void>;
}

/**
 * Everything the core needs from a platform. Web, mini-program and Node each supply one; tests
 * supply fakes (test-kit). Timers come from here too: the core compiles without DOM or Node
 * types, so it has no `setTimeout` of its own.
 */
export interface Platform {
  transport: Transport;
  storage: KeyValueStorage;
  /** Epoch ms. */
  now(): number;
  /** A UUID v4. */
  uuid(): string;
  /** Uniform in [0, 1): backoff jitter. */
  random(): number;
  /** Calls `fn` after `ms`; returns a function that cancels it. */
  schedule(fn: () => void, ms: number): () => void;
  /** Context merged into every event (library, locale, page, device …). */
  context(): Record<string, unknown>;
}

/** A memory-only storage, for platforms (and states, such as pending consent) without one. */
export function createMemoryStorage(): KeyValueStorage {
  const values = new Map<string, string>();
  return {
    // Promise executors: what they throw (a cyclic value) becomes a rejection, as in storage.
    get: (key) =>
      new Promise((resolve) => {
        const text = values.get(key);
        resolve(text === undefined ? undefined : (JSON.parse(text) as unknown));
      }),
    set: (key, value) =>
      new Promise((resolve) => {
        values.set(key, JSON.stringify(value));
        resolve();
      }),
    remove: (key) =>
      new Promise((resolve) => {
        values.delete(key);
        resolve();
      }),
  };
}
