// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { touchOf } from './attribution.js';
import { createSessions } from './session.js';
import { boot } from './snippet.js';
import type { Spoor } from './spoor.js';
import { page, settle, start, wipe } from './test-kit.js';

type Win = { spoor?: unknown };
afterEach(async () => {
  ((window as Win).spoor as Spoor | undefined)?.shutdown?.();
  delete (window as Win).spoor;
  await wipe();
});

/** What the README's snippet leaves behind before the bundle arrives. */
function snippet(config: Record<string, unknown>): unknown[][] & Record<string, unknown> {
  const stub = Object.assign([] as unknown[][], {
    snippet: '1',
    config,
  }) as unknown as unknown[][] & Record<string, unknown>;
  for (const m of ['track', 'identify', 'page', 'reset', 'optIn', 'flush']) {
    stub[m] = (...args: unknown[]) => stub.push([m, ...args]);
  }
  (window as Win).spoor = stub;
  return stub;
}

describe('the script-tag bundle', () => {
  it('replays the calls made before it loaded, in order, and replaces the stub', async () => {
    const net = page('https://shop.example.com/');
    const stub = snippet({ writeKey: 'wk', host: 'https://t.example.com', flushAt: 1 });
    (stub['identify'] as (...a: unknown[]) => void)('u-1', { name: 'Li' });
    (stub['track'] as (...a: unknown[]) => void)('Early', { n: 1 });
    stub.push(['nonsense', 1], [42]);
    boot();
    const spoor = (window as Win).spoor as Spoor;
    expect(Array.isArray(spoor)).toBe(false);
    await spoor.flush();
    await settle();
    const kinds = net.events().map((e) => (e['type'] === 'track' ? e['event'] : e['type']));
    // The page view (autocapture) comes when the bundle starts; then the queued calls.
    expect(kinds).toEqual(['page', 'identify', 'Early']);
    expect(net.named('Early')[0]).toMatchObject({ userId: 'u-1' });
  });

  it('loaded twice keeps the first client; without config it does nothing', async () => {
    page();
    snippet({ writeKey: 'wk', host: 'https://t.example.com', autocapture: { pageviews: false } });
    boot();
    const first = (window as Win).spoor;
    boot();
    expect((window as Win).spoor).toBe(first);
    (first as Spoor).shutdown();
    (window as Win).spoor = [];
    expect(() => boot()).not.toThrow();
    expect((window as Win).spoor).toEqual([]);
  });
});

describe('the script tag alone (strict CSP: no inline snippet)', () => {
  it('takes its configuration from data attributes', async () => {
    const net = page('https://shop.example.com/');
    const tag = document.createElement('script');
    tag.setAttribute('data-write-key', 'wk_attr');
    tag.setAttribute('data-host', 'https://t.example.com');
    Object.defineProperty(document, 'currentScript', { configurable: true, get: () => tag });
    try {
      boot();
    } finally {
      Object.defineProperty(document, 'currentScript', { configurable: true, get: () => null });
    }
    const spoor = (window as Win).spoor as Spoor;
    await spoor.flush();
    expect(net.posted[0]?.url).toBe('https://t.example.com/v1/batch');
    expect(net.events().map((e) => e['type'])).toEqual(['page']);
  });
});

describe('sessions', () => {
  it('end after the inactivity timeout and are shared through localStorage', () => {
    let n = 0;
    const a = createSessions(
      's',
      30 * 60_000,
      () => `s${++n}`,
      () => true,
    );
    const t0 = 1_000_000_000;
    const first = a.id(t0);
    expect(a.id(t0 + 29 * 60_000)).toBe(first);
    expect(a.id(t0 + 58 * 60_000)).toBe(first); // activity extends it
    const b = createSessions(
      's',
      30 * 60_000,
      () => `s${++n}`,
      () => true,
    );
    expect(b.id(t0 + 59 * 60_000)).toBe(first); // another tab joins it
    expect(a.id(t0 + 120 * 60_000)).not.toBe(first);
  });
});

describe('attribution', () => {
  it.each([
    [
      'https://s.example.com/?utm_source=wechat&utm_medium=social&utm_campaign=1111',
      '',
      { source: 'wechat', medium: 'social', name: '1111' },
    ],
    [
      'https://s.example.com/?gclid=abc',
      'https://www.google.com/',
      { gclid: 'abc', referrer: 'https://www.google.com/' },
    ],
    [
      'https://s.example.com/',
      'https://www.baidu.com/s?wd=tea',
      { referrer: 'https://www.baidu.com/s?wd=tea' },
    ],
    ['https://s.example.com/', 'https://www.example.com/other', null],
    ['https://s.example.com/', '', null],
    ['https://s.example.com/?utm_source=', 'not a url', null],
  ])('%s from %s', (url, referrer, expected) => {
    const touch = touchOf(new URL(url), referrer, 'example.com');
    if (expected === null) expect(touch).toBeNull();
    else expect(touch).toEqual({ ...expected, landing: 'https://s.example.com/' });
  });

  it('keeps the first touch and replaces the last one', async () => {
    page('https://shop.example.com/?utm_source=first');
    const first = start();
    await first.ready;
    first.shutdown();
    const net = page('https://shop.example.com/?utm_source=second');
    const spoor = start();
    spoor.track('Bought');
    await settle();
    expect(net.named('Bought')[0]?.['context']).toMatchObject({
      campaign: { source: 'second' },
      firstTouch: { source: 'first' },
    });
    spoor.shutdown();
  });
});

describe('hostile input', () => {
  it('never throws into the page', async () => {
    page();
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    const spoor = start();
    const calls: (() => unknown)[] = [
      () => (start as (o: unknown) => Spoor)(null).track('x'),
      () => spoor.track(undefined as unknown as string),
      () => spoor.track('Cyclic', cyclic),
      () => spoor.identify({} as unknown as string, 'traits' as unknown as Record<string, unknown>),
      () => spoor.page(7 as unknown as string, null as unknown as string),
      () => spoor.track('Big', { blob: 'x'.repeat(100_000) }),
      () => spoor.optOut(),
      () => spoor.optIn(),
    ];
    for (const call of calls) expect(call).not.toThrow();
    await settle();
    expect(spoor.stats().dropped.too_large).toBe(1);
    spoor.shutdown();
  });
});
