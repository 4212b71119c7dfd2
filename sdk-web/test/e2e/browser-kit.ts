import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { BUNDLE, type SnippetConfig } from './static-server.js';
import { ev, startStack, storedWhere, until, type Stack } from './stack.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches Debian's Chromium (never a downloaded one); each launch has its own profile dir. */
export async function launchChromium(): Promise<Browser> {
  // CI installs Chromium with apt just before the tests; give a running install a moment.
  await until('/usr/bin/chromium to exist', () => existsSync(CHROMIUM), 25_000);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * Registers hooks for one test file: one Chromium for the file; a fresh stack and browser
 * context per test, closed after it. Returns the per-test setup.
 */
export function useE2E(): (
  config?: SnippetConfig,
) => Promise<{ stack: Stack; context: BrowserContext }> {
  let browser: Browser | undefined;
  const open: { stack?: Stack | undefined; context?: BrowserContext | undefined } = {};
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterEach(async () => {
    await open.context?.close();
    await open.stack?.close();
    open.context = open.stack = undefined;
  });
  afterAll(async () => {
    await browser?.close();
  });
  return async (config = {}) => {
    if (!browser) throw new Error('Chromium did not start');
    const stack = (open.stack = await startStack(config));
    // A locale and zone unlike the machine's, so the SDK must read them from the browser.
    const context = (open.context = await browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    }));
    return { stack, context };
  };
}

let markers = 0;
/**
 * Tracks a marker event and waits until it is stored. With `flushAt: 1` the SDK sends one
 * request at a time, in order, so everything the page emitted before has been delivered too.
 */
export async function drain(page: Page, stack: Stack): Promise<void> {
  const name = `e2e marker ${++markers}`;
  await track(page, name);
  await storedWhere(stack, name, ev.named(name));
}

/** The client API the tests use, as the bundle exposes it on `window.spoor`. */
export interface SpoorClient {
  track(event: string, props?: Record<string, unknown>): unknown;
  identify(userId?: string, traits?: Record<string, unknown>): unknown;
  page(name?: string, props?: Record<string, unknown>): unknown;
  reset(): unknown;
  optIn(): unknown;
  optOut(): unknown;
  flush(): Promise<void>;
  ready: Promise<void>;
  anonymousId: string;
  userId: string | null | undefined;
  consent: 'granted' | 'pending' | 'denied';
  stats(): {
    enqueued: number;
    delivered: number;
    queued: number;
    retries: number;
    dropped: Record<string, number>;
  };
}

/** `window` with the SDK on it; for casts inside `page.evaluate` callbacks. */
export interface SpoorWindow {
  spoor: SpoorClient;
}

/** What went wrong in a page: console errors, uncaught errors, CSP violations. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  void page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });
  return problems;
}

/**
 * Takes the browser offline (navigator.onLine false, every request fails) while the site's own
 * pages and bundle are still served through request interception, so a page can be reloaded
 * offline as if from a cache; the collector stays unreachable.
 */
export async function goOffline(
  context: BrowserContext,
  stack: Stack,
): Promise<() => Promise<void>> {
  const pattern = `${stack.site.origin}/**`;
  // A page served by interception has no address space of its own, so Chromium's Local Network
  // Access would block its requests to the (loopback) collector; a real cached page keeps its own.
  await context.grantPermissions(['local-network-access'], { origin: stack.site.origin });
  await context.route(pattern, async (route) => {
    const response = await fetch(route.request().url());
    await route.fulfill({
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: Buffer.from(await response.arrayBuffer()),
    });
  });
  await context.setOffline(true);
  return async () => {
    await context.setOffline(false);
    await context.unroute(pattern);
  };
}

/** Opens `path` of the site in a new tab of `context` and waits for the SDK to be ready. */
export async function openPage(
  context: BrowserContext,
  stack: Stack,
  path = '/app/home',
  referer?: string,
): Promise<{ page: Page; problems: string[] }> {
  if (!existsSync(BUNDLE)) throw new Error('sdk-web/dist/spoor.js is missing: run `pnpm build`');
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(stack.site.origin + path, referer ? { referer } : {});
  await sdkReady(page);
  return { page, problems };
}

/** Waits until the bundle replaced the stub and `spoor.ready` settled. */
export async function sdkReady(page: Page): Promise<void> {
  await page.waitForFunction(
    () => typeof (window as unknown as Partial<SpoorWindow>).spoor?.ready?.then === 'function',
    undefined,
    { timeout: 10_000 },
  );
  await page.evaluate(() => (window as unknown as SpoorWindow).spoor.ready);
}

/**
 * Closes the tab as a user does, running beforeunload, pagehide and visibilitychange handlers,
 * and waits until it is gone.
 */
export async function closeTab(page: Page): Promise<void> {
  const closed = new Promise((resolve) => page.once('close', resolve));
  await page.close({ runBeforeUnload: true });
  await closed;
}

/** Calls `spoor.track` in the page. */
export async function track(page: Page, event: string, props: Record<string, unknown> = {}) {
  await page.evaluate(
    ([e, p]) => {
      (window as unknown as SpoorWindow).spoor.track(e, p);
    },
    [event, props] as const,
  );
}

/** Awaits `spoor.flush()` in the page. */
export async function flush(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as SpoorWindow).spoor.flush());
}

/** Calls `spoor.flush()` in the page without waiting for it to settle. */
export async function kickFlush(page: Page): Promise<void> {
  await page.evaluate(() => {
    void (window as unknown as SpoorWindow).spoor.flush();
  });
}

/** The SDK's identity and counters as the page sees them. */
export function sdkState(page: Page) {
  return page.evaluate(() => {
    const s = (window as unknown as SpoorWindow).spoor;
    return { anonymousId: s.anonymousId, userId: s.userId, consent: s.consent, stats: s.stats() };
  });
}

/** Calls a method of `window.spoor` without arguments (optIn, optOut, reset …). */
export async function call(page: Page, method: 'optIn' | 'optOut' | 'reset'): Promise<void> {
  await page.evaluate((m) => {
    (window as unknown as SpoorWindow).spoor[m]();
  }, method);
}

/** What the site keeps in this browser: cookie names, localStorage keys, IndexedDB records. */
export async function persisted(page: Page) {
  const cookies = (await page.context().cookies()).map((c) => c.name).sort();
  const local = await page.evaluate(async () => {
    const request = <T>(r: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
      });
    const records: Record<string, number> = {};
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue;
      const db = await request(indexedDB.open(name));
      for (const store of Array.from(db.objectStoreNames)) {
        records[`${name}/${store}`] = await request(
          db.transaction(store).objectStore(store).count(),
        );
      }
      db.close();
    }
    return { localStorage: Object.keys(localStorage).sort(), records };
  });
  const indexedDbRecords = Object.values(local.records).reduce((a, b) => a + b, 0);
  return { cookies, localStorage: local.localStorage, indexedDbRecords };
}
