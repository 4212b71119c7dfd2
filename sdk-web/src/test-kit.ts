// Shared set-up of the happy-dom unit tests: a page at a URL, a recording fetch and beacon, and
// a clean slate (cookies, localStorage, IndexedDB) between tests.
import 'fake-indexeddb/auto';
import { clear, createStore } from 'idb-keyval';
import { vi } from 'vitest';
import { createSpoor, type Spoor } from './spoor.js';
import type { WebOptions } from './options.js';

/** One batch the page posted, by fetch or beacon. */
export interface Posted {
  via: 'fetch' | 'beacon';
  url: string;
  batch: Record<string, unknown>[];
  bytes: number;
}

/** Opens `url` in the test window and records what leaves it. */
export function page(url = 'https://shop.example.com/') {
  (window as unknown as { happyDOM: { setURL(u: string): void } }).happyDOM.setURL(url);
  const posted: Posted[] = [];
  const record = (via: Posted['via'], target: string, body: string) =>
    posted.push({
      via,
      url: target,
      batch: (JSON.parse(body) as { batch: Record<string, unknown>[] }).batch,
      bytes: new TextEncoder().encode(body).length,
    });
  let status = 200;
  let beaconAccepts = true;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (target: string, init: RequestInit) => {
      record('fetch', target, init.body as string);
      return new Response('{}', { status });
    }),
  );
  Object.defineProperty(navigator, 'sendBeacon', {
    configurable: true,
    value: (target: string, body: string) => {
      if (!beaconAccepts) return false;
      record('beacon', target, body);
      return true;
    },
  });
  const events = () => posted.flatMap((p) => p.batch);
  return {
    posted,
    events,
    named: (name: string) => events().filter((e) => e['event'] === name),
    answer(code: number) {
      status = code;
    },
    refuseBeacons(refuse = true) {
      beaconAccepts = !refuse;
    },
  };
}

/** A client against a fictitious collector, sending at once unless told otherwise. */
export function start(options: Partial<WebOptions> = {}): Spoor {
  return createSpoor({
    writeKey: 'wk_test',
    host: 'https://t.example.com',
    flushAt: 1,
    ...options,
  });
}

/** Lets promise jobs and 0-ms timers run (IndexedDB answers take a few turns). */
export async function settle(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

/** Forgets every cookie, localStorage key and IndexedDB database of the test window. */
export async function wipe(): Promise<void> {
  for (const part of document.cookie.split('; ')) {
    const name = part.split('=')[0];
    if (name) {
      document.cookie = `${name}=; path=/; max-age=0`;
      document.cookie = `${name}=; path=/; max-age=0; domain=example.com`;
    }
  }
  localStorage.clear();
  // Emptied, not deleted: a deletion would wait for the earlier clients' open connections.
  await clear(createStore('spoor', 'kv'));
  vi.unstubAllGlobals();
}

/** Sets what `document.visibilityState` answers and fires `visibilitychange`. */
export function setVisibility(state: 'visible' | 'hidden'): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}
