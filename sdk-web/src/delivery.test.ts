// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KEEPALIVE_BYTES } from './platform.js';
import { page, setVisibility, settle, start, wipe } from './test-kit.js';

afterEach(async () => {
  setVisibility('visible');
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => true });
  await wipe();
});

const offline = (value: boolean) => {
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => !value });
  window.dispatchEvent(new Event(value ? 'offline' : 'online'));
};

describe('leaving the page', () => {
  it('sends the queue by beacon when the tab is hidden, in bodies under the keepalive limit', async () => {
    const net = page();
    const spoor = start({ flushAt: 1000, flushInterval: 3_600_000 });
    await spoor.ready;
    const big = 'x'.repeat(20_000);
    for (let i = 0; i < 12; i++) spoor.track('Queued', { i, big });
    expect(net.posted).toHaveLength(0);
    setVisibility('hidden');
    expect(net.posted.every((p) => p.via === 'beacon' && p.bytes < KEEPALIVE_BYTES)).toBe(true);
    expect(net.posted.length).toBeGreaterThan(3);
    expect(net.named('Queued').map((e) => (e['properties'] as { i: number }).i)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    ]);
    expect(spoor.stats()).toMatchObject({ delivered: 12, queued: 0 });
    spoor.shutdown();
  });

  it('leaves what a refused beacon carried queued for the ordinary transport, sent once', async () => {
    const net = page();
    const spoor = start({ flushAt: 1000, flushInterval: 3_600_000 });
    await spoor.ready;
    spoor.track('A');
    spoor.track('B');
    net.refuseBeacons();
    window.dispatchEvent(new Event('pagehide'));
    await settle();
    expect(net.posted).toHaveLength(0);
    expect(spoor.stats().queued).toBe(2);
    await spoor.flush(); // the page lived on
    expect(net.posted.map((p) => p.via)).toEqual(['fetch']);
    expect(net.events().map((e) => e['event'])).toEqual(['A', 'B']);
    spoor.shutdown();
  });

  it('sends nothing by beacon while offline (it would be lost) and keeps it queued', async () => {
    const net = page();
    const spoor = start({ flushAt: 1000, flushInterval: 3_600_000 });
    await spoor.ready;
    spoor.track('Offline');
    offline(true);
    setVisibility('hidden');
    await settle();
    expect(net.posted).toHaveLength(0);
    expect(spoor.stats().queued).toBe(1);
    offline(false);
    await settle();
    expect(net.named('Offline')).toHaveLength(1);
    spoor.shutdown();
  });
});

describe('offline', () => {
  it('holds requests while offline without spending retries, and sends when back online', async () => {
    const net = page();
    const spoor = start();
    await spoor.ready;
    offline(true);
    for (let i = 0; i < 5; i++) spoor.track('Held', { i });
    await settle();
    expect(net.posted).toHaveLength(0);
    offline(false);
    await spoor.flush();
    expect(net.named('Held')).toHaveLength(5);
    expect(spoor.stats()).toMatchObject({ retries: 0, delivered: 5 });
    spoor.shutdown();
  });
});

describe('the unsent queue in IndexedDB', () => {
  it('survives a reload: a new page adopts the closed page’s queue and sends it once', async () => {
    const net = page();
    const first = start({ flushAt: 1000, flushInterval: 3_600_000 });
    await first.ready;
    for (let i = 0; i < 3; i++) first.track('Persisted', { i });
    await settle();
    first.shutdown(); // the page is gone without a pagehide: a crash
    expect(net.posted).toHaveLength(0);

    const second = start({ flushInterval: 3_600_000 });
    // Adoption takes a few IndexedDB round trips after start-up.
    await vi.waitFor(async () => {
      await second.flush();
      expect(net.named('Persisted').map((e) => (e['properties'] as { i: number }).i)).toEqual([
        0, 1, 2,
      ]);
    });
    second.shutdown();

    // Once adopted and sent, the record is gone: a third page finds nothing to send again.
    const third = start();
    await third.ready;
    await settle(30);
    await third.flush();
    expect(net.named('Persisted')).toHaveLength(3);
    third.shutdown();
  });

  it('is bounded by maxQueueSize: the oldest events make room', async () => {
    const net = page();
    const spoor = start({ flushAt: 1000, flushInterval: 3_600_000, maxQueueSize: 5 });
    await spoor.ready;
    for (let i = 0; i < 8; i++) spoor.track('Bounded', { i });
    await settle();
    spoor.shutdown();
    const next = start({ maxQueueSize: 5 });
    await vi.waitFor(() =>
      expect(net.named('Bounded').map((e) => (e['properties'] as { i: number }).i)).toEqual([
        3, 4, 5, 6, 7,
      ]),
    );
    expect(spoor.stats().dropped.queue_overflow).toBe(3);
    next.shutdown();
  });
});
