import {
  createClient,
  createMemoryStorage,
  resolveOptions,
  type SpoorClient,
} from '@spoor/sdk-core';
import { createAttribution, touchOf } from './attribution.js';
import { registrableDomain } from './cookie.js';
import { doNotTrack, type WebOptions } from './options.js';
import { createBrowserPlatform, KEEPALIVE_BYTES, pageContext, uuid } from './platform.js';
import { createSessions } from './session.js';
import { createWebStorage } from './storage.js';
import { TabQueue } from './tab-queue.js';
import { VERSION } from './version.js';

/** The browser client: the core API, plus `shutdown()` for pages that remove it. */
export interface Spoor extends SpoorClient {
  /**
   * Removes every listener and patch the client and its plugins installed, and lets another
   * tab (or a later client) send what is left in its queue.
   */
  shutdown(): void;
}

/**
 * Starts Spoor in a page. Never throws; with bad options it reports through `on('error')`.
 *
 * @example
 * const spoor = createSpoor({ writeKey: 'wk_…', host: 'https://t.example.com', plugins: [pageviews()] });
 * spoor.track('Product Added', { sku: 'tea-01', price: 19.9 });
 */
export function createSpoor(options: WebOptions): Spoor {
  const given: WebOptions =
    typeof options === 'object' && options !== null ? options : ({} as WebOptions);
  const resolved = resolveOptions(given as Parameters<typeof resolveOptions>[0]);
  const prefix = resolved.storagePrefix;
  const blocked = given.respectDoNotTrack === true && doNotTrack();
  const host = location.hostname;
  const domain =
    given.cookieDomain === false ? null : (given.cookieDomain ?? registrableDomain(host));
  const queue = new TabQueue(prefix.replace(/\.$/, ''), uuid());
  // Do-Not-Track: nothing read or written, nothing sent unless the page calls optIn().
  const storage = blocked ? createMemoryStorage() : createWebStorage(prefix, domain, queue);
  const granted = () => client.consent === 'granted' && !blocked;
  const sessions = createSessions(
    `${prefix}session`,
    given.sessionTimeout ?? 1_800_000,
    uuid,
    granted,
  );
  const attribution = createAttribution(
    `${prefix}attribution`,
    touchOf(new URL(location.href), document.referrer, domain ?? host),
    granted,
  );
  const context = () => ({
    ...pageContext(),
    ...attribution.context(),
    sessionId: sessions.id(Date.now()),
  });
  const plugins = [...(given.plugins ?? [])];
  const beforeSend = given.beforeSend;
  if (typeof beforeSend === 'function') plugins.push({ name: 'beforeSend', filter: beforeSend });

  const client = createClient(createBrowserPlatform(storage, context), {
    flushInterval: 5000,
    ...given,
    consent: blocked ? 'denied' : given.consent,
    library: { name: '@spoor/web', version: VERSION },
    plugins,
    persistQueue: true,
  });

  const url = resolved.host + resolved.path;
  const undo: (() => void)[] = [];
  const listen = (target: EventTarget, type: string, fn: () => void) => {
    target.addEventListener(type, fn);
    undo.push(() => target.removeEventListener(type, fn));
  };
  const adopt = (firstRun = false) => {
    if (granted()) void queue.adopt((items) => client.restore(items), firstRun).catch(() => {});
  };
  void client.ready.then(() => {
    attribution.save();
    adopt(true);
  });

  // The client's getters (consent, anonymousId, userId) stay live through the prototype.
  const spoor: Spoor = Object.assign(Object.create(client) as SpoorClient, {
    optIn() {
      client.optIn();
      // What waited in memory is written now: the attribution, and the session (touched).
      attribution.save();
      sessions.id(Date.now());
      adopt();
    },
    optOut() {
      client.optOut();
      sessions.reset();
      attribution.reset();
    },
    reset() {
      client.reset();
      sessions.reset();
    },
    shutdown() {
      for (const fn of undo.splice(0)) fn();
      queue.release();
    },
  });
  for (const plugin of plugins) {
    try {
      const teardown = plugin.setup?.(spoor);
      if (typeof teardown === 'function') undo.push(teardown);
    } catch {
      // A plugin that cannot start is left out; the others and the client carry on.
    }
  }
  // After the plugins' own listeners, so that a page-leave event is in the queue it sends.
  const hide = () => {
    if (!granted()) return;
    const sent: string[] = [];
    const left = client.drain((body, ids) => {
      // Offline, a beacon is accepted and then lost: keep the events instead.
      if (navigator.onLine === false || navigator.sendBeacon?.(url, body) !== true) return false;
      sent.push(...ids);
      return true;
    }, KEEPALIVE_BYTES);
    // A refused beacon means the page's keepalive quota is spent: a fetch now would die with
    // the page. What is left stays queued for the ordinary transport if the page lives on, and
    // is saved for the next page if it does not.
    queue.unloading(left, sent);
  };
  listen(document, 'visibilitychange', () =>
    document.visibilityState === 'hidden' ? hide() : queue.visible(),
  );
  listen(window, 'pagehide', hide);
  listen(window, 'online', () => {
    adopt();
    void client.flush();
  });
  return spoor;
}
