import { describe, expect, it } from 'vitest';
import { createClient } from './api.js';
import type { DropNotice } from './drops.js';
import { createFakePlatform, ok, settle, status } from './test-kit/fake-platform.js';

const LIBRARY = { name: '@spoor/test', version: '0.0.0' };
function setup(options: Partial<Parameters<typeof createClient>[1]> = {}) {
  const fake = createFakePlatform();
  const client = createClient(fake.platform, {
    writeKey: 'wk',
    host: 'https://t.example.com/',
    library: LIBRARY,
    flushAt: 3,
    flushInterval: 1000,
    ...options,
  });
  const drops: DropNotice[] = [];
  client.on('drop', (d) => drops.push(d));
  return { fake, client, drops };
}

describe('delivery', () => {
  it('sends flushAt events in one request, with messageId, timestamp, library and the write key', async () => {
    const { fake, client } = setup();
    client.track('A', { n: 1 });
    client.track('B');
    await settle();
    expect(fake.sent).toHaveLength(0);
    client.track('C');
    await settle();
    expect(fake.sent).toHaveLength(1);
    const { request, batch } = fake.sent[0]!;
    expect(request.url).toBe('https://t.example.com/v1/batch');
    expect(JSON.parse(request.body)).toMatchObject({
      writeKey: 'wk',
      sentAt: '2026-11-22T08:00:00.000Z',
    });
    expect(batch.map((e) => e['event'])).toEqual(['A', 'B', 'C']);
    expect(batch[0]).toMatchObject({
      type: 'track',
      messageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      timestamp: '2026-11-22T08:00:00.000Z',
      anonymousId: client.anonymousId,
      properties: { n: 1 },
      context: { locale: 'zh-CN', library: LIBRARY },
    });
    expect(new Set(batch.map((e) => e['messageId'])).size).toBe(3);
  });

  it('sends after flushInterval when fewer than flushAt are queued', async () => {
    const { fake, client } = setup();
    client.track('A');
    await fake.advance(999);
    expect(fake.sent).toHaveLength(0);
    await fake.advance(1);
    expect(fake.events().map((e) => e['event'])).toEqual(['A']);
  });

  it('retries 5xx and network errors with full-jitter backoff, reusing the messageId', async () => {
    const { fake, client } = setup({ flushAt: 1 });
    fake.answer((_r, i) =>
      i === 0 ? status(500) : i === 1 ? { ok: false, error: 'ECONNRESET' } : ok(),
    );
    client.track('A');
    await settle();
    expect(fake.sent).toHaveLength(1);
    await fake.advance(249); // attempt 1: uniform in [0, 500) → 250 with random 0.5
    expect(fake.sent).toHaveLength(1);
    await fake.advance(1);
    expect(fake.sent).toHaveLength(2);
    await fake.advance(500); // attempt 2: [0, 1000) → 500
    expect(fake.sent).toHaveLength(3);
    const ids = fake.sent.map((s) => s.batch[0]?.['messageId']);
    expect(new Set(ids).size).toBe(1);
    expect(client.stats()).toMatchObject({ delivered: 1, retries: 2, queued: 0 });
  });

  it('honours Retry-After on 429 and 503', async () => {
    const { fake, client } = setup({ flushAt: 1 });
    fake.answer((_r, i) => (i === 0 ? status(429, '7') : i === 1 ? status(503, '2') : ok()));
    client.track('A');
    await fake.advance(6999);
    expect(fake.sent).toHaveLength(1);
    await fake.advance(1);
    expect(fake.sent).toHaveLength(2);
    await fake.advance(2000);
    expect(fake.sent).toHaveLength(3);
    expect(client.stats().delivered).toBe(1);
  });

  it('drops other 4xx without retrying, with the reason and the collector code', async () => {
    const { fake, client, drops } = setup({ flushAt: 2 });
    fake.answer(() => status(400, null, '{"code":"no_valid_events","message":"x"}'));
    client.track('A');
    client.track('B');
    await fake.advance(60_000);
    expect(fake.sent).toHaveLength(1);
    expect(drops).toEqual([
      {
        reason: 'rejected',
        count: 2,
        messageIds: expect.any(Array),
        detail: 'HTTP 400 no_valid_events',
      },
    ]);
    expect(client.stats().dropped.rejected).toBe(2);
  });

  it('drops the events a 200 lists as rejected and counts the rest delivered', async () => {
    const { fake, client, drops } = setup({ flushAt: 2 });
    fake.answer((r) => {
      const first = (JSON.parse(r.body) as { batch: { messageId: string }[] }).batch[0]!.messageId;
      return ok({ success: true, rejected: [{ index: 0, messageId: first, errors: [] }] });
    });
    client.track('A');
    client.track('B');
    await settle();
    expect(drops[0]).toMatchObject({ reason: 'rejected', count: 1 });
    expect(client.stats()).toMatchObject({ delivered: 1 });
  });

  it('splits a batch answered 413, and drops a single event that is still too large', async () => {
    const { fake, client, drops } = setup({ flushAt: 4 });
    fake.answer((r) =>
      (JSON.parse(r.body) as { batch: unknown[] }).batch.length > 1 ? status(413) : ok(),
    );
    for (const e of ['A', 'B', 'C', 'D']) client.track(e);
    await fake.advance(10);
    expect(fake.sent.map((s) => s.batch.length)).toEqual([4, 2, 1, 1, 1, 1]);
    expect(client.stats().delivered).toBe(4);
    fake.answer(() => status(413));
    client.track('E');
    await client.flush();
    expect(drops).toEqual([expect.objectContaining({ reason: 'too_large', count: 1 })]);
  });

  it('keeps the queue bounded: the oldest events are dropped and counted', async () => {
    const { fake, client, drops } = setup({ flushAt: 100, maxQueueSize: 3 });
    for (let i = 0; i < 5; i++) client.track(`E${i}`);
    await settle();
    expect(drops.map((d) => d.reason)).toEqual(['queue_overflow', 'queue_overflow']);
    await client.flush();
    expect(fake.events().map((e) => e['event'])).toEqual(['E2', 'E3', 'E4']);
  });

  it(
    'flushes a queue of 130,000 events (a spread over it would overflow the stack), every one delivered once, in order',
    { timeout: 90_000 },
    async () => {
      const { fake, client, drops } = setup({ flushAt: 2500, maxQueueSize: 300_000 });
      fake.answer((_r, i) => (i % 3 === 1 ? status(503) : ok()));
      for (let i = 0; i < 130_000; i++) client.track('E', { i });
      const flushed = client.flush();
      await fake.advance(3_600_000);
      await flushed;
      const delivered = fake.sent.filter((_s, i) => i % 3 !== 1).flatMap((s) => s.batch);
      const order = delivered.map((e) => (e['properties'] as { i: number }).i);
      expect(order).toHaveLength(130_000);
      expect(order.every((value, i) => value === i)).toBe(true);
      expect(drops).toEqual([]);
    },
  );

  it('gives up after maxRetries with retries_exhausted', async () => {
    const { fake, client, drops } = setup({ flushAt: 1, maxRetries: 2 });
    fake.answer(() => status(500));
    client.track('A');
    await fake.advance(10_000);
    expect(fake.sent).toHaveLength(3);
    expect(drops).toEqual([expect.objectContaining({ reason: 'retries_exhausted', count: 1 })]);
  });

  it('flush() waits for requests in flight and for everything queued before it', async () => {
    const { fake, client } = setup({ flushAt: 1 });
    let release = () => {};
    fake.answer((_r, i) =>
      i === 0 ? new Promise((resolve) => (release = () => resolve(ok()))) : ok(),
    );
    client.track('A');
    client.track('B');
    let flushed = false;
    void client.flush().then(() => (flushed = true));
    await settle();
    expect(flushed).toBe(false);
    release();
    await settle();
    expect(flushed).toBe(true);
    expect(fake.events().map((e) => e['event'])).toEqual(['A', 'B']);
  });

  it('close() stops intake, delivers what it can, and drops the rest as closed', async () => {
    const { fake, client, drops } = setup({ flushAt: 10 });
    fake.answer(() => status(503));
    client.track('A');
    const closing = client.close(1000);
    client.track('late');
    await fake.advance(1000);
    await closing;
    expect(drops.map((d) => d.reason).sort()).toEqual(['closed', 'closed']);
  });
});
