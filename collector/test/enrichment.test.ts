import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { injectPost, startCollector, storedEvent, trackEvent, type TestCollector } from './kit.js';

const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/** POSTs an event over real HTTP as if a proxy had forwarded it for 203.0.113.7. */
function postForwardedFor(c: TestCollector, event: Record<string, unknown>) {
  return fetch(`${c.url}/v1/track`, {
    method: 'POST',
    headers: {
      authorization: c.basic,
      'content-type': 'application/json',
      'x-forwarded-for': '203.0.113.7',
    },
    body: JSON.stringify(event),
  });
}

describe('enrichment', () => {
  let c: TestCollector;
  beforeAll(async () => {
    c = await startCollector({ listen: true });
  });
  afterAll(async () => c.close());

  it('sets receivedAt and corrects the timestamp for clock skew', async () => {
    // The device clock is an hour slow: the event happened 5 s before it was sent.
    const slow = Date.now() - 3600_000;
    const original = new Date(slow - 5000).toISOString();
    const event = trackEvent({ timestamp: original, sentAt: new Date(slow).toISOString() });
    const before = Date.now();
    expect((await injectPost(c, { batch: [event] })).statusCode).toBe(200);
    const after = Date.now();
    const saved = (await storedEvent(c, event['messageId']))!;
    const receivedAt = Date.parse(saved['receivedAt'] as string);
    expect(receivedAt).toBeGreaterThanOrEqual(before);
    expect(receivedAt).toBeLessThanOrEqual(after);
    expect(Date.parse(saved['timestamp'] as string)).toBe(receivedAt - 5000);
    expect(saved['originalTimestamp']).toBe(original);
  });

  it('applies a batch-level sentAt to events without their own', async () => {
    const slow = Date.now() - 3600_000;
    const event = trackEvent({ timestamp: new Date(slow - 2000).toISOString() });
    const sentAt = new Date(slow).toISOString();
    expect((await injectPost(c, { sentAt, batch: [event] })).statusCode).toBe(200);
    const saved = (await storedEvent(c, event['messageId']))!;
    const receivedAt = Date.parse(saved['receivedAt'] as string);
    expect(Date.parse(saved['timestamp'] as string)).toBe(receivedAt - 2000);
  });

  it('sets context.ip from the connection and ignores X-Forwarded-For by default', async () => {
    const event = trackEvent();
    const res = await postForwardedFor(c, event);
    expect(res.status).toBe(200);
    expect((await storedEvent(c, event['messageId']))?.['context']).toMatchObject({
      ip: '127.0.0.1',
    });
  });

  it('parses the user agent into browser, os and device', async () => {
    const event = trackEvent({ context: { userAgent: IPHONE_UA } });
    expect((await injectPost(c, { batch: [event] })).statusCode).toBe(200);
    expect((await storedEvent(c, event['messageId']))?.['context']).toEqual({
      userAgent: IPHONE_UA,
      ip: '127.0.0.1',
      browser: { name: 'Mobile Safari', version: '17.5' },
      os: { name: 'iOS', version: '17.5.1' },
      device: { type: 'mobile', vendor: 'Apple', model: 'iPhone' },
    });
  });

  it('keeps a context.os and context.ip the client sent', async () => {
    const os = { name: 'HarmonyOS', version: '4.2' };
    const event = trackEvent({ context: { userAgent: IPHONE_UA, os, ip: '198.51.100.1' } });
    expect((await injectPost(c, { batch: [event] })).statusCode).toBe(200);
    const context = (await storedEvent(c, event['messageId']))?.['context'];
    expect(context).toMatchObject({ os, ip: '198.51.100.1', browser: { name: 'Mobile Safari' } });
  });

  it('merges batch-level context and integrations into every event', async () => {
    const [a, b] = [
      trackEvent({ context: undefined }),
      trackEvent({ context: { locale: 'zh-CN' } }),
    ];
    const res = await injectPost(c, {
      context: { library: { name: 'analytics-node', version: '3.0.0' }, locale: 'en-US' },
      integrations: { All: false },
      batch: [a, b],
    });
    expect(res.statusCode).toBe(200);
    const library = { name: 'analytics-node', version: '3.0.0' };
    expect(await storedEvent(c, a['messageId'])).toMatchObject({
      context: { library, locale: 'en-US' },
      integrations: { All: false },
    });
    expect(await storedEvent(c, b['messageId'])).toMatchObject({
      context: { library, locale: 'zh-CN' },
      integrations: { All: false },
    });
  });

  it('stores numeric ids as strings', async () => {
    const event = trackEvent({ userId: 12345, anonymousId: 678 });
    expect((await injectPost(c, { batch: [event] })).statusCode).toBe(200);
    expect(await storedEvent(c, event['messageId'])).toMatchObject({
      userId: '12345',
      anonymousId: '678',
    });
  });
});

describe('enrichment behind a trusted proxy', () => {
  let c: TestCollector;
  beforeAll(async () => {
    c = await startCollector({ listen: true, trustProxy: true });
  });
  afterAll(async () => c.close());

  it('takes context.ip from X-Forwarded-For', async () => {
    const event = trackEvent();
    const res = await postForwardedFor(c, event);
    expect(res.status).toBe(200);
    expect((await storedEvent(c, event['messageId']))?.['context']).toMatchObject({
      ip: '203.0.113.7',
    });
  });
});
