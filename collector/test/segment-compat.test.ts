import { Analytics } from '@segment/analytics-node';
import { afterEach, describe, expect, it } from 'vitest';
import { startCollector, storedEvents, type TestCollector } from './kit.js';

type Wire = Record<string, unknown> & { messageId: string; type: string };

describe('an unmodified @segment/analytics-node against the collector', () => {
  let c: TestCollector | undefined;
  afterEach(async () => {
    await c?.close();
    c = undefined;
  });

  it('delivers track, identify, page, screen, group and alias calls that are stored as sent', async () => {
    c = await startCollector({ listen: true });
    // Only host (and a small flushAt, to get several batches) differ from a Segment setup.
    const analytics = new Analytics({ writeKey: c.writeKey, host: c.url, flushAt: 4 });
    const errors: unknown[] = [];
    const statuses: number[] = [];
    const urls = new Set<string>();
    const sent: Wire[] = [];
    analytics.on('error', (error) => errors.push(error));
    analytics.on('http_response', (res) => statuses.push(res.status));
    analytics.on('http_request', (req) => {
      urls.add(req.url);
      sent.push(...(JSON.parse(req.body) as { batch: Wire[] }).batch);
    });

    analytics.track({
      userId: 'user-1',
      event: 'Order Completed',
      messageId: 'segment-compat-order-1',
      properties: { order_id: 'o-1', revenue: 42.5, products: [{ sku: 'latte', quantity: 2 }] },
    });
    analytics.identify({
      userId: 'user-1',
      anonymousId: 'anon-9',
      traits: { email: 'mei@example.com', plan: 'pro', logins: 3 },
    });
    analytics.page({
      anonymousId: 'anon-9',
      category: 'Docs',
      name: 'Quick start',
      properties: { url: 'https://example.com/docs', path: '/docs' },
    });
    analytics.screen({ userId: 'user-1', name: 'Home', properties: { tab: 'feed' } });
    analytics.group({ userId: 'user-1', groupId: 'acme', traits: { name: 'Acme', employees: 12 } });
    analytics.alias({ userId: 'user-1', previousId: 'anon-9' });
    for (let i = 0; i < 10; i++) {
      analytics.track({ anonymousId: 'anon-9', event: 'Item Viewed', properties: { index: i } });
    }
    await analytics.closeAndFlush({ timeout: 15_000 });

    expect(errors).toEqual([]);
    expect([...urls]).toEqual([`${c.url}/v1/batch`]);
    expect(statuses.length).toBeGreaterThanOrEqual(4);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(sent).toHaveLength(16);

    const stored = await storedEvents(c);
    expect(stored).toHaveLength(16);
    const byId = new Map(stored.map((s) => [s.event['messageId'] as string, s]));
    expect(new Set(byId.keys())).toEqual(new Set(sent.map((e) => e.messageId)));
    for (const wire of sent) {
      const row = byId.get(wire.messageId);
      expect(row?.source).toBe('web');
      const fields = ['type', 'event', 'name', 'category', 'userId', 'anonymousId', 'groupId'];
      const expected = Object.fromEntries(
        [...fields, 'previousId', 'properties', 'traits']
          .filter((k) => wire[k] !== undefined)
          .map((k) => [k, wire[k]]),
      );
      expect(row?.event).toMatchObject(expected);
      expect(row?.event['context']).toMatchObject({
        library: { name: '@segment/analytics-node', version: analytics.VERSION },
      });
    }

    const get = (id: string) => byId.get(id)?.event;
    expect(get('segment-compat-order-1')).toMatchObject({
      type: 'track',
      userId: 'user-1',
      event: 'Order Completed',
      properties: { order_id: 'o-1', revenue: 42.5, products: [{ sku: 'latte', quantity: 2 }] },
    });
    const ofType = (type: string) => stored.filter((s) => s.event['type'] === type);
    expect(ofType('identify')[0]?.event).toMatchObject({
      userId: 'user-1',
      anonymousId: 'anon-9',
      traits: { email: 'mei@example.com', plan: 'pro', logins: 3 },
    });
    expect(ofType('page')[0]?.event).toMatchObject({
      anonymousId: 'anon-9',
      name: 'Quick start',
      properties: { url: 'https://example.com/docs', path: '/docs', category: 'Docs' },
    });
    expect(ofType('screen')[0]?.event).toMatchObject({ name: 'Home', properties: { tab: 'feed' } });
    expect(ofType('group')[0]?.event).toMatchObject({
      groupId: 'acme',
      traits: { name: 'Acme', employees: 12 },
    });
    expect(ofType('alias')[0]?.event).toMatchObject({ userId: 'user-1', previousId: 'anon-9' });
    expect(ofType('track')).toHaveLength(11);
    // The write key travels in the body as well as in Basic auth; it must never be stored.
    expect(JSON.stringify(stored)).not.toContain(c.writeKey);
  });
});
