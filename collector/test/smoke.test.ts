import { afterEach, describe, expect, it } from 'vitest';
import { startCollector, storedEvents, trackEvent, type TestCollector } from './kit.js';

describe('collector smoke', () => {
  let c: TestCollector;
  afterEach(async () => c.close());

  it('stores a valid batch and lists it through the read API', async () => {
    c = await startCollector();
    const event = trackEvent();
    const res = await c.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { authorization: c.basic, 'content-type': 'application/json' },
      payload: { batch: [event] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ success: true, accepted: 1, duplicates: 0, rejected: [] });
    const stored = await storedEvents(c);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.event).toMatchObject({
      messageId: event['messageId'],
      event: 'Product Viewed',
    });
  });
});
