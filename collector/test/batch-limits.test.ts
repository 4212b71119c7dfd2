import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { injectPost, startCollector, trackEvent, type TestCollector } from './kit.js';

// One request must not be able to cause work, storage or a response far out of its own size.
describe('batch limits', () => {
  let c: TestCollector;
  beforeAll(async () => {
    c = await startCollector();
  });
  afterAll(async () => c.close());

  it('lists and keeps only the first 100 refusals of a batch full of junk, but counts them all', async () => {
    const before = await c.app.inject({
      url: '/v1/rejections?limit=1000',
      headers: { authorization: c.bearer },
    });
    const res = await injectPost(c, {
      batch: [trackEvent(), ...Array.from({ length: 2499 }, (_, i) => i)],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      accepted: number;
      rejected: { index: number }[];
      rejectedCount: number;
    }>();
    expect(body.accepted).toBe(1);
    expect(body.rejectedCount).toBe(2499);
    expect(body.rejected.map((r) => r.index)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const after = await c.app.inject({
      url: '/v1/rejections?limit=1000',
      headers: { authorization: c.bearer },
    });
    expect(
      after.json<{ data: unknown[] }>().data.length -
        before.json<{ data: unknown[] }>().data.length,
    ).toBe(100);
  });

  it('refuses a batch of more than 2,500 events as too large, so senders split it', async () => {
    const small = { type: 'track', event: 'x', anonymousId: 'a' }; // 2,501 of these fit in 500 KB
    const res = await injectPost(c, { batch: Array.from({ length: 2501 }, () => small) });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({
      code: 'batch_too_large',
      message: 'A batch may hold at most 2500 events',
    });
  });

  it('counts batch-level context toward each event’s size, so it cannot multiply storage', async () => {
    const text = 'x'.repeat(7000); // each string within limits; together over 32 KB
    const big = { page: { title: text, url: text, path: text, referrer: text, search: text } };
    const small = { type: 'track', event: 'x', anonymousId: 'a' };
    const res = await injectPost(c, {
      context: big,
      batch: Array.from({ length: 5 }, () => small),
    });
    expect(res.statusCode).toBe(400);
    const body = res.json<{ code: string; rejected: { errors: { code: string }[] }[] }>();
    expect(body.code).toBe('no_valid_events');
    expect(body.rejected.map((r) => r.errors[0]?.code)).toEqual(Array(5).fill('event_too_large'));
    const fits = await injectPost(c, {
      context: { page: { title: 'x'.repeat(1000) } },
      batch: [small],
    });
    expect(fits.json()).toMatchObject({ accepted: 1 });
  });
});
