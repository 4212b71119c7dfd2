import type { KeyValueStorage, Platform, TransportResult } from '@spoor/sdk-core';

/** Chromium's limit on a keepalive request's body; also sendBeacon's, shared by the page. */
export const KEEPALIVE_BYTES = 60_000;

/** Resolves at once when online, else when the browser says the network is back. */
function online(): Promise<void> {
  return navigator.onLine === false
    ? new Promise((resolve) => addEventListener('online', () => resolve(), { once: true }))
    : Promise.resolve();
}

/**
 * Posts a batch. `text/plain` with the write key in the body is a "simple" CORS request: no
 * preflight, and the same body `sendBeacon` sends. Offline, the request waits for the network
 * instead of burning retries. Small bodies go `keepalive`, so a page that unloads mid-request
 * still delivers it.
 */
async function send(url: string, body: string, timeoutMs: number): Promise<TransportResult> {
  await online();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const post = (keepalive: boolean) =>
    fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'text/plain' },
      credentials: 'omit',
      keepalive,
      signal: abort.signal,
    });
  try {
    // Over the page's keepalive quota (other requests in flight) the browser refuses at once.
    const response = await post(body.length < KEEPALIVE_BYTES).catch((error: Error) => {
      if (abort.signal.aborted) throw error;
      return post(false);
    });
    return {
      ok: true,
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: await response.text(),
    };
  } catch (error) {
    return { ok: false, error: String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** A v4 UUID; `randomUUID` exists only in secure contexts, `getRandomValues` everywhere. */
export function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return hex.replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
}

/** What a browser tells about the page and the device, on every event. */
export function pageContext(): Record<string, unknown> {
  // Asking Intl on every event cost more than the rest of a track call.
  fixed ??= {
    locale: navigator.language,
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    userAgent: navigator.userAgent,
  };
  return {
    ...fixed,
    page: {
      url: location.href,
      path: location.pathname,
      search: location.search,
      title: document.title,
      referrer: document.referrer,
    },
    screen: {
      width: screen.width,
      height: screen.height,
      density: devicePixelRatio,
      innerWidth,
      innerHeight,
    },
  };
}
let fixed: Record<string, unknown> | undefined;

/** The core's platform port on a browser. */
export function createBrowserPlatform(
  storage: KeyValueStorage,
  context: () => Record<string, unknown>,
): Platform {
  return {
    transport: { send: (r) => send(r.url, r.body, r.timeoutMs) },
    storage,
    now: Date.now,
    uuid,
    random: Math.random,
    schedule: (fn, ms) => {
      const id = setTimeout(fn, ms);
      return () => clearTimeout(id);
    },
    context,
  };
}
