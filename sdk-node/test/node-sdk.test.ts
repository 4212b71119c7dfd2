import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DropNotice } from '@spoor/sdk-core';
import type * as SpoorNode from '@spoor/node';
import { startCollector, storedEvents, type TestCollector } from '../../collector/test/kit.js';
import { startFaultProxy, type Fault, type FaultProxy } from './fault-proxy.js';

// The built package, as users load it (pnpm test builds first).
const DIST = new URL('../dist/index.js', import.meta.url).href;
const CHILD = fileURLToPath(new URL('./sigterm-child.mjs', import.meta.url));
const { Spoor } = (await import(DIST)) as typeof SpoorNode;

let collector: TestCollector | undefined;
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await collector?.close();
  proxy = collector = undefined;
});

async function setup(options: Partial<ConstructorParameters<typeof Spoor>[0]> = {}) {
  collector = await startCollector({ listen: true });
  proxy = await startFaultProxy(collector.url);
  const spoor = new Spoor({
    writeKey: collector.writeKey,
    host: proxy.url,
    timeout: 500,
    ...options,
  });
  const drops: DropNotice[] = [];
  spoor.on('drop', (d) => drops.push(d));
  return { collector, proxy, spoor, drops };
}

/** messageIds stored by the collector, with how often each was stored. */
async function storedIds(c: TestCollector): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const e of await storedEvents(c)) {
    const id = String(e.event['messageId']);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

describe('@spoor/node against the real collector', () => {
  it('delivers with keep-alive and gzip; every event is stored once with its messageId', async () => {
    const { collector, spoor } = await setup({ flushAt: 50 });
    for (let i = 0; i < 120; i++) {
      spoor.track(
        'Order Completed',
        { order: i, note: '订单'.repeat(50) },
        { userId: `u${i % 7}` },
      );
    }
    spoor.identify('u1', { plan: 'pro' }, { userId: 'u1' });
    await spoor.flush();
    const stored = await storedEvents(collector);
    expect(stored).toHaveLength(121);
    expect(stored[0]?.event).toMatchObject({
      type: 'track',
      userId: 'u0',
      context: { library: { name: '@spoor/node', version: '0.1.0' } },
    });
    expect(spoor.stats()).toMatchObject({ delivered: 121, queued: 0 });
    await spoor.close();
  });

  it('after 500, 503 with Retry-After, 429, timeouts, resets and accepted-then-dropped requests, stores every event exactly once', async () => {
    const { collector, proxy, spoor, drops } = await setup({
      flushAt: 10,
      flushInterval: 50,
      backoff: { baseMs: 20, maxMs: 200 },
    });
    const faults: Fault[] = [
      { kind: 'status', status: 500 },
      { kind: 'status', status: 503, retryAfter: '1' },
      { kind: 'status', status: 429 },
      { kind: 'timeout' },
      { kind: 'reset' },
      { kind: 'accept-drop' },
      { kind: 'accept-drop' },
      { kind: 'status', status: 502 },
    ];
    proxy.script(faults);
    for (let i = 0; i < 60; i++) spoor.track('Paid', { i }, { userId: `u${i}` });
    await spoor.flush();
    const counts = await storedIds(collector);
    expect(counts.size).toBe(60);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(drops).toEqual([]);
    expect(proxy.requests).toBeGreaterThan(faults.length);
  });

  it('splits a batch the collector answers 413 and drops nothing', async () => {
    const { collector, proxy, spoor, drops } = await setup({ flushAt: 8 });
    proxy.script([{ kind: 'status', status: 413 }]);
    for (let i = 0; i < 8; i++) spoor.track('Viewed', { i }, { anonymousId: 'a1' });
    await spoor.flush();
    expect((await storedIds(collector)).size).toBe(8);
    expect(drops).toEqual([]);
  });

  it('close() with requests in flight waits for them; later calls are dropped as closed', async () => {
    const { collector, proxy, spoor, drops } = await setup({ flushAt: 5 });
    proxy.script([{ kind: 'status', status: 503, retryAfter: '1' }]);
    for (let i = 0; i < 12; i++) spoor.track('Shipped', { i }, { userId: 'u1' });
    const closing = spoor.close(10_000);
    spoor.track('Too late', {}, { userId: 'u1' });
    await closing;
    expect((await storedIds(collector)).size).toBe(12);
    expect(drops.map((d) => d.reason)).toEqual(['closed']);
  });

  it('bounds memory under a dead collector: the oldest events are dropped and counted', async () => {
    const spoor = new Spoor({
      writeKey: 'k',
      host: 'http://127.0.0.1:9',
      maxQueueSize: 50,
      timeout: 200,
    });
    const drops: DropNotice[] = [];
    spoor.on('drop', (d) => drops.push(d));
    for (let i = 0; i < 200; i++) spoor.track('E', { i }, { userId: 'u' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(spoor.stats().queued).toBeLessThanOrEqual(50);
    expect(
      drops.filter((d) => d.reason === 'queue_overflow').reduce((n, d) => n + d.count, 0),
    ).toBe(150);
    await spoor.close(100);
    expect(spoor.stats().queued).toBe(0);
  });

  it('reports calls without a user and bad input, never throwing', async () => {
    const { collector, spoor, drops } = await setup({ serverless: true });
    const errors: string[] = [];
    spoor.on('error', (e) => errors.push(e.code));
    const circular: Record<string, unknown> = {};
    circular['me'] = circular;
    expect(() => {
      spoor.track('No user');
      spoor.track(
        'Weird',
        { big: 2n ** 70n, when: new Date(0), circular, u: undefined },
        { userId: 'u1' },
      );
      spoor.track(undefined as unknown as string, {}, { userId: 'u1' });
      spoor.identify(null as unknown as string, 'x' as unknown as Record<string, unknown>, {
        userId: 'u2',
      });
    }).not.toThrow();
    await spoor.flush();
    const stored = await storedEvents(collector);
    expect(stored.map((s) => s.event['type'])).toEqual(['track', 'identify']);
    expect(stored[0]?.event['properties']).toEqual({
      big: '1180591620717411303424',
      when: '1970-01-01T00:00:00.000Z',
      circular: { me: '[Circular]' },
    });
    expect(drops.map((d) => d.reason)).toEqual(['invalid']);
    expect(errors).toEqual(expect.arrayContaining(['invalid', 'sanitized']));
    await spoor.close();
  });

  it('a service that closes on SIGTERM loses nothing it had accepted', async () => {
    collector = await startCollector({ listen: true });
    const child = spawn(process.execPath, [CHILD, collector.url, collector.writeKey], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await vi.waitFor(() => expect(output).toContain('ready'), { timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    const report = JSON.parse(output.split('\n').find((l) => l.startsWith('{')) ?? '{}') as {
      sent: number;
      stats: { delivered: number; queued: number };
    };
    expect(report.sent).toBeGreaterThan(100);
    expect(report.stats).toMatchObject({ delivered: report.sent, queued: 0 });
    expect((await storedIds(collector)).size).toBe(report.sent);
  });

  it('no public method throws, whatever it is given', async () => {
    const spoor = new Spoor({ writeKey: 'k', host: 'http://127.0.0.1:9', timeout: 200 });
    const circular: Record<string, unknown> = {};
    circular['me'] = circular;
    const values: unknown[] = [
      undefined,
      null,
      42,
      'x',
      10n,
      new Date(NaN),
      circular,
      [1, [2]],
      () => 1,
      Symbol('s'),
      'x'.repeat(100_000),
      {
        toJSON: () => {
          throw new Error('no');
        },
      },
    ];
    const methods = [
      'track',
      'identify',
      'page',
      'screen',
      'group',
      'alias',
      'setOnce',
      'increment',
      'append',
      'unset',
      'on',
      'flush',
    ] as const;
    for (const method of methods) {
      for (const a of values) {
        for (const b of values) {
          const call = (spoor[method] as (...args: unknown[]) => unknown).bind(spoor);
          expect(
            () => call(a, b, { userId: 'u' }),
            `${method}(${String(a).slice(0, 10)}, …)`,
          ).not.toThrow();
          expect(() => call(a, b, b)).not.toThrow();
        }
      }
    }
    expect(
      () => new Spoor(undefined as unknown as { writeKey: string; host: string }),
    ).not.toThrow();
    await spoor.close(50);
  });

  it('loads as CommonJS too', () => {
    const require = createRequire(import.meta.url);
    const cjs = require('../dist/index.cjs') as typeof SpoorNode;
    expect(typeof cjs.Spoor).toBe('function');
  });
});
