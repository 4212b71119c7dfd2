// The tag and segment engine in a running collector: definitions through the admin API, events
// through an unmodified Segment SDK over real HTTP, a real SQLite store, time moved by an
// injected clock.
import { Analytics } from '@segment/analytics-node';
import { afterEach, describe, expect, it } from 'vitest';
import { SPEND_90D, startCollector, untilSettled as until, type TestCollector } from './kit.js';

const DAY = 86_400_000;
let collector: TestCollector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

/** A collector whose engine clock the test moves, ticking every 50 ms. */
async function start() {
  let offset = 0;
  collector = await startCollector({
    listen: true,
    now: () => Date.now() + offset,
    engineTickMs: 50,
  });
  return {
    c: collector,
    advance: (ms: number) => {
      offset += ms;
    },
  };
}

async function api(c: TestCollector, method: 'GET' | 'PUT', url: string, body?: unknown) {
  const res = await c.app.inject({
    method,
    url,
    headers: { authorization: c.bearer, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
}

async function send(c: TestCollector, calls: (a: Analytics) => void) {
  const analytics = new Analytics({ writeKey: c.writeKey, host: c.url, flushAt: 1 });
  calls(analytics);
  await analytics.closeAndFlush();
}

const profile = (c: TestCollector, userId: string) =>
  api(c, 'GET', `/v1/profiles/user_id:${userId}`).then((r) => r.body);

const DEFINITIONS = {
  tags: {
    spend_90d: SPEND_90D,
  },
  segments: {
    big_spenders: { name: 'Big spenders', condition: { tag: 'spend_90d', op: 'gte', value: 100 } },
    lapsed: {
      name: 'No order for 30 days',
      condition: {
        and: [
          { did: { event: 'Order Completed' }, within: 'all' },
          { inactive: { event: 'Order Completed' }, for: { last: 30, unit: 'days' } },
        ],
      },
    },
  },
};

describe('engine in the collector', () => {
  it('keeps tags and memberships current as events arrive and as time passes', async () => {
    const { c, advance } = await start();
    for (const [key, def] of Object.entries(DEFINITIONS.tags)) {
      expect((await api(c, 'PUT', `/v1/tags/${key}`, def)).status).toBe(201);
    }
    for (const [key, def] of Object.entries(DEFINITIONS.segments)) {
      expect((await api(c, 'PUT', `/v1/segments/${key}`, def)).status).toBe(201);
    }
    await send(c, (a) => {
      a.track({ userId: 'u1', event: 'Order Completed', properties: { revenue: 80 } });
      a.track({ userId: 'u1', event: 'Order Completed', properties: { revenue: 40 } });
      a.track({ userId: 'u2', event: 'Order Completed', properties: { revenue: 10 } });
    });
    await until('u1 in big_spenders', async () =>
      ((await profile(c, 'u1'))['segments'] as string[] | undefined)?.includes('big_spenders'),
    );
    expect(await profile(c, 'u1')).toMatchObject({ tags: { spend_90d: 120 } });
    expect((await profile(c, 'u2'))['segments']).toEqual([]);
    const members = await api(c, 'GET', '/v1/segments/big_spenders/members');
    expect(members.body).toMatchObject({ size: 1, data: [{ profileId: expect.any(Number) }] });

    // 31 days later, no order since: lapsed; 91 days later the spend has left the window.
    advance(31 * DAY);
    await until('u1 lapsed', async () =>
      ((await profile(c, 'u1'))['segments'] as string[]).includes('lapsed'),
    );
    advance(60 * DAY);
    await until(
      'u1 no longer a big spender',
      async () => !((await profile(c, 'u1'))['segments'] as string[]).includes('big_spenders'),
    );
    expect(await profile(c, 'u1')).toMatchObject({ tags: { spend_90d: 0 } });
    const changes = await api(c, 'GET', '/v1/profiles/user_id:u1/changes');
    const kinds = (changes.body['data'] as { kind: string; key: string }[]).map(
      (x) => `${x.kind} ${x.key}`,
    );
    expect(kinds).toEqual(
      expect.arrayContaining([
        'segment_entered big_spenders',
        'segment_entered lapsed',
        'segment_exited big_spenders',
      ]),
    );
  });

  it('backfills a definition created after the events, with progress to watch', async () => {
    const { c } = await start();
    await send(c, (a) => {
      for (let i = 0; i < 3; i++) {
        a.track({ userId: `buyer${i}`, event: 'Order Completed', properties: { revenue: 50 * i } });
      }
      // Sent last with an earlier time: counted like the rest.
      a.track({
        userId: 'buyer2',
        event: 'Order Completed',
        properties: { revenue: 5 },
        timestamp: new Date(Date.now() - 3_600_000),
      });
    });
    await until('three profiles', async () => (await profile(c, 'buyer2'))['profileId']);
    expect((await api(c, 'PUT', '/v1/tags/spend_90d', DEFINITIONS.tags.spend_90d)).status).toBe(
      201,
    );
    expect(
      (await api(c, 'PUT', '/v1/segments/big_spenders', DEFINITIONS.segments.big_spenders)).status,
    ).toBe(201);
    await until('backfill done', async () => {
      const engine = await api(c, 'GET', '/v1/engine');
      const backfill = engine.body['backfill'] as { running: boolean; done: number };
      return !backfill.running && backfill.done >= 3;
    });
    expect(await profile(c, 'buyer2')).toMatchObject({
      tags: { spend_90d: 105 },
      segments: ['big_spenders'],
    });
    expect((await profile(c, 'buyer1'))['segments']).toEqual([]);
  });

  it('erasing a profile removes its memberships and changes', async () => {
    const { c } = await start();
    await api(c, 'PUT', '/v1/tags/spend_90d', DEFINITIONS.tags.spend_90d);
    await api(c, 'PUT', '/v1/segments/big_spenders', DEFINITIONS.segments.big_spenders);
    await send(c, (a) => {
      a.track({ userId: 'gone', event: 'Order Completed', properties: { revenue: 500 } });
    });
    const members = () => api(c, 'GET', '/v1/segments/big_spenders/members');
    await until('a member', async () => (await members()).body['size'] === 1);
    const erased = await c.app.inject({
      method: 'DELETE',
      url: '/v1/profiles/user_id:gone',
      headers: { authorization: c.bearer },
    });
    expect(erased.statusCode).toBe(200);
    expect((await members()).body).toMatchObject({ size: 0, data: [] });
  });

  it('a merge rebuilds the surviving profile from both histories', async () => {
    const { c } = await start();
    await api(c, 'PUT', '/v1/tags/spend_90d', DEFINITIONS.tags.spend_90d);
    await api(c, 'PUT', '/v1/segments/big_spenders', DEFINITIONS.segments.big_spenders);
    await send(c, (a) => {
      a.track({ anonymousId: 'browser-1', event: 'Order Completed', properties: { revenue: 60 } });
      a.track({ userId: 'merged', event: 'Order Completed', properties: { revenue: 60 } });
    });
    const anonymous = () => api(c, 'GET', '/v1/profiles/anonymous_id:browser-1');
    await until('two profiles with 60 each', async () => {
      const [a, b] = [await anonymous(), await api(c, 'GET', '/v1/profiles/user_id:merged')];
      const spend = (p: Record<string, unknown>) =>
        (p['tags'] as Record<string, unknown> | undefined)?.['spend_90d'];
      return (
        spend(a.body) === 60 && spend(b.body) === 60 && a.body['profileId'] !== b.body['profileId']
      );
    });
    await send(c, (a) => a.identify({ userId: 'merged', anonymousId: 'browser-1' }));
    await until('one profile of 120 in big_spenders', async () => {
      const merged = (await profile(c, 'merged')) as {
        tags?: { spend_90d?: number };
        segments?: string[];
      };
      return merged.tags?.spend_90d === 120 && merged.segments?.includes('big_spenders');
    });
    const members = await api(c, 'GET', '/v1/segments/big_spenders/members');
    expect(members.body['size']).toBe(1);
  });

  it('imported tags take values from the API and from traits, and segments follow', async () => {
    const { c } = await start();
    await api(c, 'PUT', '/v1/tags/crm_grade', {
      name: 'CRM grade',
      category: 'crm',
      subject: 'attribute',
      kind: 'imported',
      valueType: 'string',
    });
    await api(c, 'PUT', '/v1/tags/churn_score', {
      name: 'Churn score',
      category: 'model',
      subject: 'attribute',
      kind: 'imported',
      valueType: 'number',
      trait: 'scores.churn',
    });
    await api(c, 'PUT', '/v1/segments/grade_a', {
      name: 'Grade A',
      condition: { tag: 'crm_grade', op: 'eq', value: 'A' },
    });
    await send(c, (a) => a.identify({ userId: 'crm1', traits: { scores: { churn: 0.8 } } }));
    await until(
      'churn score from the trait',
      async () =>
        ((await profile(c, 'crm1'))['tags'] as Record<string, unknown> | undefined)?.[
          'churn_score'
        ] === 0.8,
    );
    const set = (value: unknown, key = 'crm_grade') =>
      c.app.inject({
        method: 'PUT',
        url: `/v1/profiles/user_id:crm1/tags/${key}`,
        headers: { authorization: c.bearer, 'content-type': 'application/json' },
        payload: JSON.stringify({ value }),
      });
    const graded = await set('A');
    expect(graded.statusCode).toBe(200);
    expect(graded.json()).toMatchObject({ tags: { crm_grade: 'A' }, segments: ['grade_a'] });
    expect((await set(3)).json()).toMatchObject({ code: 'invalid_tag_value' });
    expect((await set('A', 'nope')).statusCode).toBe(404);
    expect((await set(null)).json()).toMatchObject({ segments: [] });
  });
});
