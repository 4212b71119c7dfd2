// Membership changes delivered to a destination: a real HTTP receiver on 127.0.0.1, signatures
// checked, a failure retried, a frequency cap, counts per segment.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Analytics } from '@segment/analytics-node';
import { afterEach, describe, expect, it } from 'vitest';
import { startCollector, untilSettled as until, type TestCollector } from './kit.js';

const SECRET = 'receiver-secret-0123456789';
let collector: TestCollector | undefined;
let receiver: Server | undefined;
afterEach(async () => {
  await collector?.close();
  const server = receiver;
  if (server) await new Promise((resolve) => server.close(resolve));
  collector = undefined;
  receiver = undefined;
});

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  status: number;
}

/** A webhook receiver answering `answers` in turn (then 200), recording every request. */
async function startReceiver(answers: number[] = []) {
  const received: Received[] = [];
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const status = answers.shift() ?? 200;
      received.push({ headers: req.headers, body, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => receiver?.listen(0, '127.0.0.1', resolve));
  const port = (receiver.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/hook`, received };
}

async function put(c: TestCollector, url: string, body: unknown) {
  const res = await c.app.inject({
    method: 'PUT',
    url,
    headers: { authorization: c.bearer, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json<Record<string, unknown>>();
}

const BUYERS = {
  name: 'Buyers',
  condition: { did: { event: 'Order Completed' }, within: { last: 7, unit: 'days' } },
};

describe('destinations', () => {
  it('delivers entries signed, retries a failure, caps per profile, and counts', async () => {
    const hook = await startReceiver([503]);
    collector = await startCollector({ listen: true });
    const c = collector;
    await put(c, '/v1/segments/buyers', BUYERS);
    await put(c, '/v1/segments/browsers', {
      name: 'Browsers',
      condition: { did: { event: 'Product Viewed' }, within: { last: 7, unit: 'days' } },
    });
    const stored = await put(c, '/v1/destinations/crm', {
      name: 'CRM',
      url: hook.url,
      secret: SECRET,
      frequencyCap: { max: 1, per: { last: 1, unit: 'days' } },
    });
    expect(stored['definition']).toMatchObject({ secret: '********' });

    const analytics = new Analytics({ writeKey: c.writeKey, host: c.url, flushAt: 1 });
    analytics.track({ userId: 'u1', event: 'Order Completed', properties: { revenue: 9 } });
    analytics.track({ userId: 'u1', event: 'Product Viewed' });
    analytics.track({ userId: 'u2', event: 'Product Viewed' });
    await analytics.closeAndFlush();

    // The first answer is 503: the batch comes again, with the same idempotency key.
    const delivered = await until('deliveries', () => {
      const ok = hook.received.filter((r) => r.status === 200);
      const keys = ok.flatMap(
        (r) => (JSON.parse(r.body) as { changes: { key: string }[] }).changes,
      );
      return keys.length >= 2 ? ok : undefined;
    });
    expect(hook.received[0]?.status).toBe(503);
    const failedKey = hook.received[0]?.headers['idempotency-key'];
    expect(hook.received[1]?.headers['idempotency-key']).toBe(failedKey);
    for (const request of delivered) {
      const [t, v1] = String(request.headers['spoor-signature']).split(',');
      const expected = createHmac('sha256', SECRET)
        .update(`${t?.slice(2)}.${request.body}`)
        .digest('hex');
      expect(v1).toBe(`v1=${expected}`);
    }
    const changes = delivered.flatMap(
      (r) => (JSON.parse(r.body) as { changes: { kind: string; key: string }[] }).changes,
    );
    // u1 entered two segments but the cap lets one delivery per day through; u2 entered one.
    expect(changes.every((x) => x.kind === 'segment_entered')).toBe(true);
    expect(changes).toHaveLength(2);

    const stats = async () =>
      (
        await c.app.inject({
          url: '/v1/destinations/crm/stats',
          headers: { authorization: c.bearer },
        })
      ).json<{ data: { key: string; outcome: string; n: number }[] }>().data;
    // Three entries in all: u1 into two segments, u2 into one; they may come in two batches.
    const counts = await until('three outcomes', async () => {
      const now = await stats();
      const settled = now.filter((x) => x.outcome !== 'failed').reduce((n, x) => n + x.n, 0);
      return settled >= 3 ? now : undefined;
    });
    const total = (outcome: string) =>
      counts.filter((x) => x.outcome === outcome).reduce((n, x) => n + x.n, 0);
    expect(total('delivered')).toBe(2);
    expect(total('capped')).toBe(1);
    expect(total('failed')).toBeGreaterThanOrEqual(1);
  });

  it('refuses a destination naming an unknown segment, and keeps a named segment from deletion', async () => {
    collector = await startCollector();
    const c = collector;
    const bad = await c.app.inject({
      method: 'PUT',
      url: '/v1/destinations/crm',
      headers: { authorization: c.bearer, 'content-type': 'application/json' },
      payload: JSON.stringify({
        name: 'x',
        url: 'http://127.0.0.1:9/x',
        secret: SECRET,
        segments: ['vip'],
      }),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ message: string }>().message).toContain('segments.0: unknown segment "vip"');
    await put(c, '/v1/segments/buyers', BUYERS);
    await put(c, '/v1/destinations/crm', {
      name: 'x',
      url: 'http://127.0.0.1:9/x',
      secret: SECRET,
      segments: ['buyers'],
    });
    const refused = await c.app.inject({
      method: 'DELETE',
      url: '/v1/segments/buyers',
      headers: { authorization: c.bearer },
    });
    expect(refused.statusCode, refused.body).toBe(409);
  });
});
