import { afterEach, describe, expect, it } from 'vitest';
import { startCollector, type TestCollector } from './kit.js';
import { event, idsOf, partition, profile, send, timeline } from './identity-kit.js';

let c: TestCollector | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});
const start = async () => (c = await startCollector({ listen: true }));

describe('ONE ID scenarios over HTTP', () => {
  it('anonymous browsing then login: one registered profile whose timeline holds the anonymous history', async () => {
    const c = await start();
    await send(
      c,
      event('page', 0, { anonymousId: 'a1', name: 'Home' }),
      event('track', 1, { anonymousId: 'a1', event: 'Product Viewed' }),
    );
    const before = await profile(c, 'anonymous_id:a1');
    expect(before.lifecycleStage).toBe('visitor');
    await send(
      c,
      event('identify', 2, { anonymousId: 'a1', userId: 'u1', traits: { name: 'Li Lei' } }),
    );
    await send(c, event('track', 3, { anonymousId: 'a1', userId: 'u1', event: 'Added to Cart' }));

    const p = await profile(c, 'user_id:u1');
    expect(p.profileId).toBe(before.profileId);
    expect(idsOf(p)).toEqual(['anonymous_id:a1', 'user_id:u1']);
    expect(p.traits).toEqual({ name: 'Li Lei' });
    expect(p.lifecycleStage).toBe('registered');
    expect(p.channels).toEqual(['web']);
    expect(p.firstSeen).toBe('2026-11-20T08:00:00.000Z');
    expect(p.lastSeen).toBe('2026-11-20T08:03:00.000Z');
    const events = await timeline(c, 'user_id:u1', 2);
    expect(events.map((e) => e['type'])).toEqual(['track', 'identify', 'track', 'page']);
  });

  it('two devices of one person end in one profile; the oldest profile ID survives', async () => {
    const c = await start();
    await send(c, event('page', 0, { anonymousId: 'laptop' }));
    await send(c, event('page', 1, { anonymousId: 'phone' }));
    const laptop = await profile(c, 'anonymous_id:laptop');
    await send(c, event('identify', 2, { anonymousId: 'phone', userId: 'u1' }));
    await send(c, event('identify', 3, { anonymousId: 'laptop', userId: 'u1' }));
    const p = await profile(c, 'anonymous_id:phone');
    expect(idsOf(p)).toEqual(['anonymous_id:laptop', 'anonymous_id:phone', 'user_id:u1']);
    expect(p.profileId).toBe(laptop.profileId);
    expect(p.merges).toBe(2);
  });

  it('a shared device keeps two users apart, and events after the second login go to the second user', async () => {
    const c = await start();
    await send(c, event('identify', 0, { anonymousId: 'B', userId: 'u1' }));
    await send(c, event('track', 1, { anonymousId: 'B', userId: 'u1', event: 'Order Completed' }));
    // u1 logs out (the page keeps its anonymous ID), u2 logs in on the same browser.
    await send(c, event('identify', 5, { anonymousId: 'B', userId: 'u2' }));
    await send(c, event('track', 6, { anonymousId: 'B', userId: 'u2', event: 'Searched' }));

    expect(await partition(c, ['user_id:u1', 'user_id:u2'])).toEqual([
      ['anonymous_id:B', 'user_id:u1'],
      ['user_id:u2'],
    ]);
    const u2 = await timeline(c, 'user_id:u2');
    expect(u2.map((e) => e['event'] ?? e['type'])).toEqual(['Searched', 'identify']);
    expect((await profile(c, 'user_id:u1')).lifecycleStage).toBe('customer');
    expect((await profile(c, 'user_id:u2')).lifecycleStage).toBe('registered');
  });

  it('WeChat openid, unionid, a phone bound later and a server order carrying only the phone are one profile', async () => {
    const c = await start();
    const mp = { library: { name: '@spoor/miniprogram', version: '0.1.0' } };
    await send(
      c,
      event('track', 0, {
        anonymousId: 'mp-anon',
        context: mp,
        identities: { wechat_openid: 'o-123' },
      }),
    );
    await send(
      c,
      event('identify', 1, {
        anonymousId: 'mp-anon',
        context: mp,
        identities: { wechat_openid: 'o-123', wechat_unionid: 'un-9' },
      }),
    );
    await send(
      c,
      event('identify', 2, {
        anonymousId: 'mp-anon',
        context: mp,
        identities: { phone: '138 0013 8000' },
      }),
    );
    await send(
      c,
      event('track', 3, {
        anonymousId: 'server-side',
        identities: { phone: '+86 13800138000' },
        event: 'Order Completed',
        context: { library: { name: '@spoor/node', version: '0.1.0' } },
      }),
    );
    const p = await profile(c, 'phone:13800138000');
    expect(idsOf(p)).toEqual([
      'anonymous_id:mp-anon',
      'anonymous_id:server-side',
      'phone:+8613800138000',
      'wechat_openid:o-123',
      'wechat_unionid:un-9',
    ]);
    expect(p.channels).toEqual(['mini-program', 'server']);
    expect(p.lifecycleStage).toBe('customer');
    expect((await profile(c, 'wechat_unionid:un-9')).profileId).toBe(p.profileId);
  });
});
