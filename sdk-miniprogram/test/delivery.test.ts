// Delivery through wx.request: the hide-time flush, two requests at most, offline and killed
// apps, full storage, failing requests. Built bundle, harness, real collector().
import { describe, expect, it } from 'vitest';
import { until } from './harness/index.js';
import { bootSpoor, named, started, useCollector } from './kit.js';

const collector = useCollector();

/** Stored events of one anonymous ID whose name starts with `prefix`. */
async function stored(anonymousId: string, prefix: string) {
  return (await collector().events()).filter(
    (e) => e['anonymousId'] === anonymousId && String(e['event']).startsWith(prefix),
  );
}
const distinct = (events: Record<string, unknown>[]) =>
  new Set(events.map((e) => e['messageId'])).size;
const slow = { flushAt: 100, flushInterval: 60_000 };

describe('the flush on hide', () => {
  it('starts its request inside the hide callback, before timers can be frozen', async () => {
    const { mp, spoor } = bootSpoor(collector(), { spoor: slow });
    mp.definePage('pages/index/index', {});
    mp.launch();
    await started(spoor);
    for (let i = 0; i < 3; i++) spoor.track(`Viewed ${i}`);
    const before = mp.fake.requests.length;
    mp.hide({ freeze: true });
    // Nothing awaited since hide(): the request exists already.
    expect(mp.fake.requests.length).toBe(before + 1);
    await collector().waitFor('the hide', named('$MPHide'), 1);
    expect(await stored(spoor.anonymousId, 'Viewed')).toHaveLength(3);
  });

  it('sends what a request in flight holds back through the second slot; never more than two at once', async () => {
    const { mp, spoor } = bootSpoor(collector(), { spoor: { flushAt: 1, flushInterval: 60_000 } });
    mp.definePage('pages/index/index', {});
    mp.launch();
    await spoor.ready;
    const release = mp.fake.holdRequests('response');
    spoor.track('Held 0');
    await until('the first request', () => mp.fake.inFlight === 1);
    for (let i = 1; i <= 5; i++) spoor.track(`Held ${i}`);
    mp.hide();
    expect(mp.fake.inFlight).toBe(2);
    release();
    await until('all six', async () => (await stored(spoor.anonymousId, 'Held')).length === 6);
    mp.show();
    for (let i = 0; i < 60; i++) spoor.track(`Burst ${i}`);
    mp.hide();
    mp.show();
    await until('the burst', async () => (await stored(spoor.anonymousId, 'Burst')).length === 60);
    expect(mp.fake.maxInFlight).toBe(2);
    await until('quiet', () => mp.fake.inFlight === 0);
    const all = await stored(spoor.anonymousId, '');
    expect(distinct(all)).toBe(all.length);
  });
});

describe('offline and killed', () => {
  it('holds while offline, survives a kill in storage, and delivers each event once after relaunch', async () => {
    const first = bootSpoor(collector(), {
      harness: { network: { isConnected: false, networkType: 'none' } },
    });
    first.mp.definePage('pages/index/index', {});
    first.mp.launch();
    await started(first.spoor);
    for (let i = 0; i < 10; i++) first.spoor.track(`Offline ${i}`);
    first.mp.hide();
    await new Promise((resolve) => setTimeout(resolve, 150));
    // No request is even attempted (retries are not spent on a known-dead network).
    expect(first.mp.fake.requests).toHaveLength(0);
    const storage = first.mp.storage;
    first.mp.kill();

    const again = bootSpoor(collector(), { harness: { storage } });
    again.mp.definePage('pages/index/index', {});
    again.mp.launch();
    await again.spoor.ready;
    expect(again.spoor.anonymousId).toBe(first.spoor.anonymousId);
    await until('ten', async () => (await stored(first.spoor.anonymousId, 'Offline')).length >= 10);
    again.mp.hide();
    await collector().waitFor('the second hide', named('$MPHide'));
    const offline = await stored(first.spoor.anonymousId, 'Offline');
    expect(offline).toHaveLength(10);
    expect(distinct(offline)).toBe(10);
  });

  it('resends a hide-time batch whose answer a kill cut off; the collector stores it once', async () => {
    const first = bootSpoor(collector(), { spoor: { flushAt: 1, flushInterval: 60_000 } });
    first.mp.definePage('pages/index/index', {});
    first.mp.launch();
    await first.spoor.ready;
    first.mp.fake.holdRequests('response');
    first.spoor.track('Cut 0');
    await until('the first request', () => first.mp.fake.inFlight === 1);
    for (let i = 1; i <= 4; i++) first.spoor.track(`Cut ${i}`);
    first.mp.hide();
    expect(first.mp.fake.inFlight).toBe(2);
    // The server got (and stored) both requests; the app died before hearing back.
    await until(
      'both stored',
      async () => (await stored(first.spoor.anonymousId, 'Cut')).length === 5,
    );
    const storage = first.mp.storage;
    first.mp.kill();

    const again = bootSpoor(collector(), { harness: { storage } });
    again.mp.definePage('pages/index/index', {});
    again.mp.launch();
    again.mp.hide();
    await until('the resend', () =>
      again.mp.fake.requests.some((r) => String(r.data).includes('Cut 4')),
    );
    await until('answers', () => again.mp.fake.inFlight === 0);
    const cut = await stored(first.spoor.anonymousId, 'Cut');
    expect(cut).toHaveLength(5);
    expect(storage.has('spoor.sending')).toBe(false);
  });
});

describe('storage and network trouble', () => {
  it('keeps working with storage full: events still leave, the failure is reported, nothing throws', async () => {
    const { mp, spoor } = bootSpoor(collector(), {
      harness: { storage: fullStorage() },
    });
    const errors: { code: string; message: string }[] = [];
    spoor.on('error', (e) => errors.push(e));
    mp.definePage('pages/index/index', {});
    mp.launch();
    spoor.identify('u-full', { plan: 'pro' });
    spoor.track('Full 0');
    mp.hide();
    await collector().waitFor('the event', named('Full 0'));
    expect(errors.some((e) => e.code === 'storage' && /exceed/.test(e.message))).toBe(true);
  });

  it('retries failed requests with backoff and delivers once', async () => {
    const { mp, spoor } = bootSpoor(collector(), { spoor: { flushAt: 1 } });
    mp.definePage('pages/index/index', {});
    mp.launch();
    await spoor.ready;
    mp.fake.failRequests(3, 'request:fail timeout');
    spoor.track('Retried');
    await collector().waitFor('the retried event', named('Retried'));
    expect(spoor.stats().retries).toBeGreaterThanOrEqual(1);
    mp.hide();
    await collector().waitFor(
      'hide',
      (e) => e['anonymousId'] === spoor.anonymousId && named('$MPHide')(e),
    );
    expect(await stored(spoor.anonymousId, 'Retried')).toHaveLength(1);
  });

  it('keeps the stored copy of a large offline queue under the 1 MB per-key limit', async () => {
    const { mp, spoor } = bootSpoor(collector(), {
      harness: { network: { isConnected: false, networkType: 'none' } },
      spoor: slow,
    });
    const errors: unknown[] = [];
    spoor.on('error', (e) => errors.push(e));
    mp.definePage('pages/index/index', {});
    mp.launch();
    await spoor.ready;
    const blob = '茶'.repeat(2000);
    for (let i = 0; i < 400; i++) spoor.track(`Big ${i}`, { blob });
    mp.hide();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const queue = mp.storage.get('spoor.queue') ?? '';
    expect(queue.length).toBeGreaterThan(100_000);
    expect(queue.length).toBeLessThan(1024 * 1024);
    expect(errors).toEqual([]);
    // The memory queue still has every event: back online, all leave.
    mp.fake.setNetwork({ isConnected: true, networkType: 'wifi' });
    await until(
      'all 400',
      async () => (await stored(spoor.anonymousId, 'Big')).length === 400,
      20_000,
    );
  });
});

describe('consent', () => {
  it('pending: nothing stored, nothing sent until optIn; optOut forgets everything', async () => {
    const { mp, spoor } = bootSpoor(collector(), { spoor: { consent: 'pending' } });
    mp.definePage('pages/index/index', {});
    mp.launch();
    await started(spoor);
    spoor.track('Before consent');
    mp.hide();
    mp.show();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(mp.fake.requests).toHaveLength(0);
    expect([...mp.storage.keys()]).toEqual([]);
    spoor.optIn();
    await collector().waitFor('the waiting event', named('Before consent'));
    expect(mp.storage.has('spoor.identity')).toBe(true);
    spoor.optOut();
    spoor.track('After opt-out');
    mp.hide();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect([...mp.storage.keys()]).toEqual(['spoor.consent']);
    expect(await stored(spoor.anonymousId, 'After opt-out')).toEqual([]);
  });
});

/** A storage some host app has filled to the 10 MB limit. */
function fullStorage(): Map<string, string> {
  const storage = new Map<string, string>();
  for (let i = 0; i < 10; i++)
    storage.set(`host.cache.${i}`, JSON.stringify('x'.repeat(1024 * 1024 - 100)));
  storage.set('host.filler', JSON.stringify('x'.repeat(900)));
  return storage;
}
