import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_IDENTITY_TYPES } from '../src/config.js';
import { defaultIdentityRules } from '../src/identity/rules.js';
import { startCollector, type TestCollector } from './kit.js';
import { admin, event, idsOf, partition, profile, send, timeline } from './identity-kit.js';

let currentCollector: TestCollector | undefined;
afterEach(async () => {
  await currentCollector?.close();
  currentCollector = undefined;
});
const start = async () => (currentCollector = await startCollector({ listen: true }));

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

describe('ONE ID rules over HTTP', () => {
  it('drops junk identifiers, links nothing through them, and refuses events left with none', async () => {
    const c = await start();
    const body = await send(
      c,
      event('identify', 0, { anonymousId: 'a1', userId: 'null' }),
      event('identify', 1, { anonymousId: 'a2', userId: 'null' }),
      event('track', 2, {
        anonymousId: 'a3',
        identities: { device_id: '00000000-0000-0000-0000-000000000000' },
      }),
      event('track', 3, { anonymousId: 'undefined', userId: '0' }),
      event('track', 4, { anonymousId: 'a4', identities: { phone: 'not a phone' } }),
    );
    expect(body).toMatchObject({ accepted: 3, rejectedCount: 2 });
    const rejected = body['rejected'] as {
      index: number;
      errors: { code: string; path: string }[];
    }[];
    expect(rejected.map((r) => [r.index, r.errors[0]?.code, r.errors[0]?.path])).toEqual([
      [3, 'no_usable_identity', ''],
      [4, 'invalid_identity', 'identities.phone'],
    ]);
    expect(await partition(c, ['anonymous_id:a1', 'anonymous_id:a2', 'anonymous_id:a3'])).toEqual([
      ['anonymous_id:a1'],
      ['anonymous_id:a2'],
      ['anonymous_id:a3'],
    ]);
    const res = await fetch(`${c.url}/v1/profiles/user_id:null`, {
      headers: { authorization: c.bearer },
    });
    expect(res.status).toBe(400);
  });

  it('refuses merges past the identifier cap, records and counts them', async () => {
    const c = (currentCollector = await startCollector({
      listen: true,
      identity: defaultIdentityRules(DEFAULT_IDENTITY_TYPES, { maxIdentifiers: 3 }),
    }));
    await send(c, event('identify', 0, { anonymousId: 'a1', userId: 'u1' }));
    await send(c, event('identify', 1, { anonymousId: 'a2', userId: 'u1' }));
    await send(c, event('identify', 2, { anonymousId: 'a3', userId: 'u1' }));
    expect(idsOf(await profile(c, 'user_id:u1'))).toEqual([
      'anonymous_id:a1',
      'anonymous_id:a2',
      'user_id:u1',
    ]);
    expect(idsOf(await profile(c, 'anonymous_id:a3'))).toEqual(['anonymous_id:a3']);
    const merges = await admin(c, '/v1/profiles/user_id:u1/merges');
    expect(merges.status, JSON.stringify(merges.body)).toBe(200);
    const history = merges.body['history'] as { kind: string; detail: Record<string, unknown> }[];
    expect(history[0]).toMatchObject({
      kind: 'refused',
      detail: {
        reason: 'max_identifiers',
        a: 'user_id:u1',
        b: 'anonymous_id:a3',
        rule: 'identify',
      },
    });
    const metrics = await fetch(`${c.url}/metrics`, { headers: { authorization: c.bearer } });
    expect(await metrics.text()).toMatch(
      /spoor_identity_links_refused_total\{reason="max_identifiers"\} 1/,
    );
  });

  it('refuses merges past the merge cap', async () => {
    const c = (currentCollector = await startCollector({
      listen: true,
      identity: defaultIdentityRules(DEFAULT_IDENTITY_TYPES, { maxMerges: 1 }),
    }));
    await send(c, event('identify', 0, { anonymousId: 'a1', userId: 'u1' }));
    await send(c, event('identify', 1, { anonymousId: 'a2', userId: 'u1' }));
    expect(idsOf(await profile(c, 'user_id:u1'))).toEqual(['anonymous_id:a1', 'user_id:u1']);
    expect((await profile(c, 'user_id:u1')).merges).toBe(1);
  });

  it('yields the same profiles whatever order the same events arrive in', async () => {
    const story = [
      event('page', 0, { anonymousId: 'p-a' }),
      event('identify', 1, { anonymousId: 'p-a', userId: 'p-u1' }),
      event('identify', 2, { anonymousId: 'p-a', userId: 'p-u2' }),
      event('alias', 3, { userId: 'p-u2', previousId: 'p-b' }),
      event('track', 4, { anonymousId: 'p-b', identities: { phone: '13700137000' } }),
      event('identify', 5, { userId: 'p-u1', identities: { phone: '13700137000' } }),
    ];
    const refs = ['anonymous_id:p-a', 'anonymous_id:p-b', 'user_id:p-u1', 'user_id:p-u2'];
    const orders = [
      [0, 1, 2, 3, 4, 5],
      [5, 4, 3, 2, 1, 0],
      [3, 0, 5, 2, 4, 1],
      [2, 5, 1, 4, 0, 3],
    ];
    const results: string[][][] = [];
    for (const order of orders) {
      const c = await start();
      // One request per event, so that each is committed (and resolved) on its own.
      for (const i of order) await send(c, story[i] as Record<string, unknown>);
      results.push(await partition(c, refs));
      await c.close();
      currentCollector = undefined;
    }
    expect(results[0]).toEqual([
      ['anonymous_id:p-a', 'user_id:p-u1'],
      ['anonymous_id:p-b', 'phone:+8613700137000', 'user_id:p-u2'],
    ]);
    for (const r of results) expect(r).toEqual(results[0]);
  });

  it('serialises concurrent identifies touching one profile: no lost or half-applied merge', async () => {
    const c = await start();
    await send(c, event('identify', 0, { anonymousId: 'hub', userId: 'u-hub' }));
    const devices = Array.from({ length: 40 }, (_, i) => `dev-${i}`);
    await Promise.all(
      devices.map((d, i) =>
        send(
          c,
          event('track', 1, { anonymousId: d }),
          event('identify', 2 + i / 100, {
            anonymousId: d,
            userId: 'u-hub',
            traits: { [`k${i}`]: i },
          }),
        ),
      ),
    );
    const p = await profile(c, 'user_id:u-hub');
    expect(idsOf(p)).toHaveLength(42);
    expect(Object.keys(p.traits)).toHaveLength(40);
    for (const d of devices)
      expect((await profile(c, `anonymous_id:${d}`)).profileId).toBe(p.profileId);
    expect(await timeline(c, 'user_id:u-hub')).toHaveLength(81);
  });
});
