import type { KeyValueStorage, TransportResult } from '@spoor/sdk-core';

/**
 * Most requests Spoor has open at once. WeChat allows 10 for the whole app (wx.request,
 * uploads and downloads together); the host app needs the rest. The core uses one, the
 * hide-time send the other.
 */
export const MAX_REQUESTS = 2;

/** A persisted copy of the unsent queue stays well under WeChat's 1 MB per key. */
export const MAX_STORED_QUEUE = 512 * 1024;

/** `online` is undefined until WeChat has answered the first `getNetworkType`. */
type Network = { online?: boolean; type: string };

/**
 * wx.request with at most {@link MAX_REQUESTS} open, holding (not failing, not spending
 * retries) while WeChat reports no network or has not said yet, and released when it comes
 * back. With a slot free and the network up, the request starts before `send` returns.
 */
export function createRequests(network: Network) {
  let open = 0;
  const waiting: (() => void)[] = [];
  const next = () => {
    while (network.online === true && open < MAX_REQUESTS && waiting.length > 0)
      (waiting.shift() as () => void)();
  };
  const post = (url: string, body: string, timeout: number): Promise<TransportResult> => {
    open++;
    return new Promise<TransportResult>((resolve) => {
      wx.request({
        url,
        method: 'POST',
        data: body,
        header: { 'content-type': 'text/plain' },
        dataType: 'text',
        responseType: 'text',
        timeout,
        success: (res) =>
          resolve({
            ok: true,
            status: res.statusCode,
            retryAfter: headerOf(res.header, 'retry-after'),
            body: typeof res.data === 'string' ? res.data : '',
          }),
        fail: (err) => resolve({ ok: false, error: err.errMsg }),
      });
    }).then((result) => {
      open--;
      next();
      return result;
    });
  };
  return {
    /** Sends when a slot is free and the network up. Never rejects. */
    send(url: string, body: string, timeout: number): Promise<TransportResult> {
      return new Promise((resolve) => {
        waiting.push(() => void post(url, body, timeout).then(resolve));
        next();
      });
    },
    /** Starts a request now, or returns null when no slot is free or there is no network. */
    sendNow(url: string, body: string, timeout: number): Promise<TransportResult> | null {
      return network.online === true && open < MAX_REQUESTS && waiting.length === 0
        ? post(url, body, timeout)
        : null;
    },
    /** The network came back (or a slot may have freed): start what waits. */
    wake: next,
  };
}

function headerOf(header: unknown, name: string): string | null {
  if (typeof header !== 'object' || header === null) return null;
  for (const [key, value] of Object.entries(header as Record<string, unknown>)) {
    if (key.toLowerCase() === name) return String(value);
  }
  return null;
}

/** How long queue changes gather before they are written (a hide writes at once). */
export const QUEUE_WRITE_DELAY = 1000;

type Waiting = [resolve: () => void, reject: (error: unknown) => void];

/**
 * wx storage, synchronous underneath. The unsent queue, rewritten whole whenever it changes,
 * is written at most once per {@link QUEUE_WRITE_DELAY} (at one event per task, writing it
 * each time cost more than the rest of the SDK), and at once by `saveQueueNow` when the app
 * hides: only a crash in the foreground can lose the last second. Its stored copy is cut to
 * the newest events under {@link MAX_STORED_QUEUE}: the events stay queued in memory, only a
 * kill before they are sent would lose the oldest. WeChat answers '' for a missing key.
 */
export function createWxStorage(queueKey: string) {
  let pending: { value: unknown; waiting: Waiting[] } | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const writeQueue = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const due = pending;
    pending = null;
    if (!due) return;
    try {
      wx.setStorageSync(queueKey, bounded(due.value));
      for (const [resolve] of due.waiting) resolve();
    } catch (error) {
      for (const [, reject] of due.waiting) reject(error);
    }
  };
  const storage: KeyValueStorage & { saveQueueNow(items: unknown): void } = {
    get: (key) =>
      new Promise((resolve) => {
        const value: unknown = wx.getStorageSync(key);
        resolve(value === '' ? undefined : value);
      }),
    set: (key, value) =>
      new Promise((resolve, reject) => {
        if (key !== queueKey) {
          wx.setStorageSync(key, value);
          return resolve();
        }
        pending = { value, waiting: (pending ? pending.waiting : []).concat([[resolve, reject]]) };
        if (timer === undefined) timer = setTimeout(writeQueue, QUEUE_WRITE_DELAY);
      }),
    remove: (key) =>
      new Promise((resolve) => {
        if (key === queueKey) pending = null;
        wx.removeStorageSync(key);
        resolve();
      }),
    /** Writes `items` as the queue now, and whatever was waiting to be written with it. */
    saveQueueNow(items) {
      pending = { value: items, waiting: pending ? pending.waiting : [] };
      writeQueue();
    },
  };
  return storage;
}

function bounded(queue: unknown): unknown {
  if (!Array.isArray(queue)) return queue;
  let bytes = 2;
  let from = queue.length;
  while (from > 0) {
    const item = queue[from - 1] as { json?: unknown };
    bytes += (typeof item.json === 'string' ? item.json.length * 1.5 : 0) + 100;
    if (bytes > MAX_STORED_QUEUE) break;
    from--;
  }
  return from === 0 ? queue : queue.slice(from);
}

/** `n` random hex digits (n ≤ 12). */
const hex = (n: number) =>
  Math.floor((1 + Math.random()) * 16 ** n)
    .toString(16)
    .slice(1);

/** A v4 UUID from Math.random: mini-programs have no synchronous crypto. */
export function uuid(): string {
  const variant = '89ab'[Math.floor(Math.random() * 4)] as string;
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
}

/**
 * `compute()`, recomputed only when one of `deps()` changed (by identity): the same object is
 * handed back meanwhile, which the core then sanitises once instead of on every event.
 */
export function memo<T>(deps: () => unknown[], compute: () => T): () => T {
  let last: unknown[] = [];
  let value: T;
  return () => {
    const now = deps();
    if (now.length !== last.length || now.some((d, i) => d !== last[i])) {
      last = now;
      value = compute();
    }
    return value;
  };
}
