import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startCollector, storedEvents, tempDir, trackEvent, type TestCollector } from './kit.js';

/** One POST the receiver got, and what it answered. */
interface Delivery {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: {
    events: {
      seq: number;
      source: string;
      receivedAt: string;
      profileId?: number;
      event: { messageId: string };
    }[];
  };
}

/**
 * A webhook receiver on 127.0.0.1. `answer` picks the status of each request (by its index);
 * `down()` closes the port so that the collector's connections are refused, `up()` reopens it.
 */
async function startReceiver() {
  const deliveries: Delivery[] = [];
  let answer: (index: number) => number = () => 200;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const status = answer(deliveries.length);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Delivery['body'];
      deliveries.push({ status, headers: req.headers, body });
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return {
    url: `http://127.0.0.1:${port}/hooks/spoor`,
    deliveries,
    answerWith(fn: (index: number) => number) {
      answer = fn;
    },
    /** messageIds of events in deliveries the receiver acknowledged with a 2xx, in order. */
    acknowledged: () =>
      deliveries
        .filter((d) => d.status < 300)
        .flatMap((d) => d.body.events.map((e) => e.event.messageId)),
    down: close,
    up: () => listen(port),
    close: () => (server.listening ? close() : Promise.resolve()),
  };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

const SINK = 'webhook:crm';
const WAIT = { timeout: 25_000, interval: 50 };

async function ingest(c: TestCollector, batch: Record<string, unknown>[]) {
  const res = await c.app.inject({
    method: 'POST',
    url: '/v1/batch',
    headers: { authorization: c.basic, 'content-type': 'application/json' },
    payload: { batch },
  });
  expect(res.statusCode).toBe(200);
  return res.json<{ accepted: number; duplicates: number; conflicts: unknown[] }>();
}

const events = (n: number) => Array.from({ length: n }, () => trackEvent());
const idsOf = (list: Record<string, unknown>[]) => list.map((e) => e['messageId'] as string);

/** The value of a metric sample for the webhook sink, from `/metrics`. */
async function sinkMetric(c: TestCollector, name: string): Promise<number | undefined> {
  const res = await c.app.inject({ url: '/metrics', headers: { authorization: c.bearer } });
  expect(res.statusCode).toBe(200);
  const line = res.body.split('\n').find((l) => l.startsWith(`${name}{sink="${SINK}"} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

describe('outbox forwarding to a webhook sink', () => {
  let receiver: Receiver | undefined;
  const collectors: TestCollector[] = [];
  const dirs: string[] = [];

  afterEach(async () => {
    await Promise.allSettled(collectors.splice(0).map((c) => c.close()));
    await receiver?.close();
    receiver = undefined;
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  async function start(r: Receiver, dataDir?: string) {
    const c = await startCollector({ webhooks: [{ name: 'crm', url: r.url }], dataDir });
    collectors.push(c);
    return c;
  }

  it('delivers events in seq order with the documented body and an Idempotency-Key', async () => {
    receiver = await startReceiver();
    const c = await start(receiver);
    const sent = [events(40), events(40), events(40)];
    for (const batch of sent) await ingest(c, batch);
    const r = receiver;
    await vi.waitFor(() => expect(r.acknowledged()).toHaveLength(120), WAIT);

    expect(r.acknowledged()).toEqual(idsOf(sent.flat()));
    const delivered = r.deliveries.flatMap((d) => d.body.events);
    const stored = await storedEvents(c);
    expect(delivered.map((e) => e.seq)).toEqual(stored.map((e) => e.seq));
    expect(delivered.map((e) => e.event)).toEqual(stored.map((e) => e.event));
    for (const d of r.deliveries) {
      expect(d.status).toBe(200);
      expect(Object.keys(d.body)).toEqual(['events']);
      expect(d.headers['content-type']).toMatch(/^application\/json/);
      const seqs = d.body.events.map((e) => e.seq);
      expect(d.headers['idempotency-key']).toBe(`crm:${seqs[0]}-${seqs.at(-1)}`);
      for (const e of d.body.events) {
        expect(Object.keys(e).sort()).toEqual([
          'event',
          'profileId',
          'receivedAt',
          'seq',
          'source',
        ]);
        expect(e.source).toBe('web');
        expect(new Date(e.receivedAt).toISOString()).toBe(e.receivedAt);
        expect(e.event).toMatchObject({ type: 'track', event: 'Product Viewed' });
      }
    }
    // Each event says which ONE ID profile it belongs to.
    const profile = await c.app.inject({
      url: '/v1/profiles/anonymous_id:anon-1',
      headers: { authorization: c.bearer },
    });
    const { profileId } = profile.json<{ profileId: number }>();
    expect(delivered.every((e) => e.profileId === profileId)).toBe(true);
    const seqs = delivered.map((e) => e.seq);
    expect(seqs.every((s, i) => i === 0 || s > (seqs[i - 1] ?? Infinity))).toBe(true);
  });

  it('retries a receiver that answers 500 and delivers everything once after it recovers', async () => {
    receiver = await startReceiver();
    receiver.answerWith((i) => (i < 3 ? 500 : 200));
    const c = await start(receiver);
    const first = events(30);
    await ingest(c, first);
    const r = receiver;
    await vi.waitFor(() => expect(r.deliveries.length).toBeGreaterThan(0), WAIT);
    const second = events(30);
    await ingest(c, second);
    await vi.waitFor(() => expect(r.acknowledged()).toHaveLength(60), WAIT);

    expect(r.acknowledged()).toEqual(idsOf([...first, ...second]));
    const failed = r.deliveries.filter((d) => d.status === 500);
    expect(failed).toHaveLength(3);
    // The first attempt carried the first batch; it was refused and came again later.
    expect(failed[0]?.body.events.map((e) => e.event.messageId)).toEqual(idsOf(first));
    expect(await sinkMetric(c, 'spoor_sink_failures_total')).toBe(3);
    // The receiver has answered the last batch; the cursor moves just after.
    await vi.waitFor(
      async () => expect(await sinkMetric(c, 'spoor_outbox_lag_events')).toBe(0),
      WAIT,
    );
  });

  it('delivers what was committed while the receiver was down (connection refused)', async () => {
    receiver = await startReceiver();
    const c = await start(receiver);
    await receiver.down();
    const batch = events(25);
    await ingest(c, batch);
    await vi.waitFor(
      async () =>
        expect(await sinkMetric(c, 'spoor_sink_failures_total')).toBeGreaterThanOrEqual(2),
      WAIT,
    );
    expect(receiver.deliveries).toHaveLength(0);
    await receiver.up();
    const more = events(5);
    await ingest(c, more);
    const r = receiver;
    await vi.waitFor(() => expect(r.acknowledged()).toHaveLength(30), WAIT);
    expect(r.acknowledged()).toEqual(idsOf([...batch, ...more]));
  });

  it('resumes from the persisted cursor after a restart, without re-sending', async () => {
    receiver = await startReceiver();
    const r = receiver;
    const dataDir = tempDir('spoor-outbox-');
    dirs.push(dataDir);
    const before = await start(r, dataDir);
    const a = events(30);
    await ingest(before, a);
    await vi.waitFor(() => expect(r.acknowledged()).toHaveLength(30), WAIT);
    // The cursor is persisted once the lag is back to zero.
    await vi.waitFor(
      async () => expect(await sinkMetric(before, 'spoor_outbox_lag_events')).toBe(0),
      WAIT,
    );

    // B is committed while the receiver refuses it, and is still owed when the collector stops.
    r.answerWith(() => 500);
    const b = events(30);
    await ingest(before, b);
    await vi.waitFor(() => expect(r.deliveries.at(-1)?.status).toBe(500), WAIT);
    expect(await sinkMetric(before, 'spoor_outbox_lag_events')).toBe(30);
    collectors.splice(collectors.indexOf(before), 1);
    await before.close();

    r.answerWith(() => 200);
    const seen = r.deliveries.length;
    const after = await start(r, dataDir);
    const cc = events(30);
    await ingest(after, cc);
    await vi.waitFor(() => expect(r.acknowledged()).toHaveLength(90), WAIT);
    expect(r.acknowledged()).toEqual(idsOf([...a, ...b, ...cc]));
    const resent = r.deliveries.slice(seen).flatMap((d) => d.body.events);
    expect(resent.map((e) => e.event.messageId)).toEqual(idsOf([...b, ...cc]));
    expect(await sinkMetric(after, 'spoor_outbox_lag_events')).toBe(0);
  });

  it('does not forward duplicates or conflicting re-uses of a messageId', async () => {
    receiver = await startReceiver();
    const r = receiver;
    const c = await start(r);
    const batch = events(20);
    await ingest(c, batch);
    await vi.waitFor(() => expect(r.acknowledged()).toHaveLength(20), WAIT);

    expect(await ingest(c, batch)).toMatchObject({ accepted: 0, duplicates: 20 });
    const changed = batch.map((e) => ({ ...e, properties: { changed: true } }));
    const conflict = await ingest(c, changed);
    expect(conflict).toMatchObject({ accepted: 0, duplicates: 20 });
    expect(conflict.conflicts).toHaveLength(20);
    // Delivery is in seq order: once the marker is through, nothing committed before it is owed.
    const marker = events(3);
    await ingest(c, marker);
    await vi.waitFor(() => expect(r.acknowledged()).toContain(idsOf(marker)[2]), WAIT);
    expect(r.acknowledged()).toEqual(idsOf([...batch, ...marker]));
    expect(r.deliveries.flatMap((d) => d.body.events.map((e) => e.event))).not.toContainEqual(
      expect.objectContaining({ properties: { changed: true } }),
    );
  });

  it('reports spoor_outbox_lag_events for the sink in /metrics', async () => {
    receiver = await startReceiver();
    const r = receiver;
    r.answerWith(() => 503);
    const c = await start(r);
    expect(await sinkMetric(c, 'spoor_outbox_lag_events')).toBe(0);
    await ingest(c, events(25));
    await vi.waitFor(() => expect(r.deliveries.length).toBeGreaterThan(0), WAIT);
    expect(await sinkMetric(c, 'spoor_outbox_lag_events')).toBe(25);
    r.answerWith(() => 204);
    await vi.waitFor(
      async () => expect(await sinkMetric(c, 'spoor_outbox_lag_events')).toBe(0),
      WAIT,
    );
    expect(r.acknowledged()).toHaveLength(25);
  });
});
