import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_IDENTITY_TYPES } from '../src/config.js';
import { defaultIdentityRules } from '../src/identity/rules.js';
import { postBatch, startCollector, storedEvents, type TestCollector } from './kit.js';
import { admin, event, idsOf, profile, send, timeline } from './identity-kit.js';

let current: TestCollector | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});
const start = async (options: Parameters<typeof startCollector>[0] = {}) =>
  (current = await startCollector({ listen: true, ...options }));

async function knownUser(c: TestCollector) {
  await send(
    c,
    event('page', 0, { anonymousId: 'a1' }),
    event('identify', 1, {
      anonymousId: 'a1',
      userId: 'u1',
      traits: { name: 'Han Meimei' },
      identities: { phone: '13800138000' },
    }),
    event('track', 2, { userId: 'u1', event: 'Order Completed' }),
    event('page', 3, { anonymousId: 'someone-else' }),
  );
}

describe('erasure', () => {
  it('removes the profile, says what it removed, suppresses its identifiers until lifted', async () => {
    const c = await start();
    await knownUser(c);
    const erased = await admin(c, '/v1/profiles/phone:13800138000', 'DELETE');
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({
      erased: true,
      events: 3,
      identifiers: ['anonymous_id:a1', 'user_id:u1', 'phone:+8613800138000'],
      links: 2,
      traits: 1,
      suppressed: ['anonymous_id:a1', 'user_id:u1', 'phone:+8613800138000'],
    });
    expect((await admin(c, '/v1/profiles/user_id:u1')).status).toBe(404);
    const left = await storedEvents(c);
    expect(left.map((e) => e.event['anonymousId'])).toEqual(['someone-else']);

    // Events still in flight from the erased person's devices are acknowledged and dropped.
    const late = await postBatch(c.url, c.writeKey, [
      event('track', 4, { anonymousId: 'a1' }),
      event('track', 5, { anonymousId: 'new-visitor' }),
    ]);
    expect(late.body).toMatchObject({ accepted: 1, suppressed: 1 });
    expect((await admin(c, '/v1/profiles/anonymous_id:a1')).status).toBe(404);
    const metrics = await fetch(`${c.url}/metrics`, { headers: { authorization: c.bearer } });
    expect(await metrics.text()).toMatch(/spoor_events_suppressed_total\{source="web"\} 1/);

    const list = await admin(c, '/v1/suppressions');
    expect((list.body['data'] as { type: string }[]).map((s) => s.type).sort()).toEqual([
      'anonymous_id',
      'phone',
      'user_id',
    ]);
    expect((await admin(c, '/v1/suppressions/anonymous_id:a1', 'DELETE')).body).toEqual({
      lifted: true,
    });
    expect((await admin(c, '/v1/suppressions/anonymous_id:a1', 'DELETE')).status).toBe(404);
    // Lifted: the person can come back, as a new profile with nothing of the old one.
    await send(c, event('track', 6, { anonymousId: 'a1' }));
    const back = await profile(c, 'anonymous_id:a1');
    expect(idsOf(back)).toEqual(['anonymous_id:a1']);
    expect(back.traits).toEqual({});
    expect(await timeline(c, 'anonymous_id:a1')).toHaveLength(1);
  });

  it('a retry of an erased event is not stored again', async () => {
    const c = await start();
    const e = event('track', 0, { anonymousId: 'gone' });
    await send(c, e);
    await admin(c, '/v1/profiles/anonymous_id:gone', 'DELETE');
    expect((await postBatch(c.url, c.writeKey, [e])).body).toMatchObject({
      accepted: 0,
      suppressed: 1,
    });
    expect(await storedEvents(c)).toHaveLength(0);
  });
});

describe('unlink', () => {
  it('takes an identifier out of a profile; its events and the rest are recomputed', async () => {
    const c = await start();
    await send(
      c,
      event('track', 0, { anonymousId: 'kiosk' }),
      event('identify', 1, { anonymousId: 'kiosk', userId: 'u1', traits: { a: 1 } }),
      event('identify', 2, { anonymousId: 'own', userId: 'u1', traits: { b: 2 } }),
    );
    const before = await profile(c, 'user_id:u1');
    const res = await admin(c, '/v1/profiles/user_id:u1/identities/anonymous_id:kiosk', 'DELETE');
    expect(res.status).toBe(200);
    expect(res.body, JSON.stringify(res.body)).toMatchObject({
      unlinked: true,
      profileId: before.profileId,
      links: 1,
    });
    const u1 = await profile(c, 'user_id:u1');
    expect(idsOf(u1)).toEqual(['anonymous_id:own', 'user_id:u1']);
    expect(u1.traits).toEqual({ a: 1, b: 2 });
    const kiosk = await profile(c, 'anonymous_id:kiosk');
    expect(kiosk.profileId).toBe(res.body['unlinkedProfileId']);
    expect(idsOf(kiosk)).toEqual(['anonymous_id:kiosk']);
    expect(await timeline(c, 'anonymous_id:kiosk')).toHaveLength(1);

    // The link stays unlinked: seeing it again does not merge them back.
    await send(c, event('track', 3, { anonymousId: 'kiosk', userId: 'u1' }));
    expect(idsOf(await profile(c, 'user_id:u1'))).toEqual(['anonymous_id:own', 'user_id:u1']);
    const merges = await admin(c, '/v1/profiles/anonymous_id:kiosk/merges');
    const links = merges.body['links'] as { from: string; to: string; status: string }[];
    expect(links).toContainEqual(
      expect.objectContaining({ from: 'user_id:u1', to: 'anonymous_id:kiosk', status: 'unlinked' }),
    );
  });

  it('refuses to unlink an identifier of another profile or a profile’s only one', async () => {
    const c = await start();
    await send(
      c,
      event('identify', 0, { anonymousId: 'x', userId: 'u1' }),
      event('page', 1, { anonymousId: 'y' }),
    );
    const other = await admin(c, '/v1/profiles/user_id:u1/identities/anonymous_id:y', 'DELETE');
    expect(other).toMatchObject({ status: 409, body: { code: 'unlink_refused' } });
    const only = await admin(c, '/v1/profiles/anonymous_id:y/identities/anonymous_id:y', 'DELETE');
    expect(only).toMatchObject({ status: 409, body: { code: 'unlink_refused' } });
    const unknown = await admin(
      c,
      '/v1/profiles/user_id:nobody/identities/anonymous_id:y',
      'DELETE',
    );
    expect(unknown).toMatchObject({ status: 404, body: { code: 'profile_not_found' } });
  });
});

describe('profile API input', () => {
  const short = (path: string) =>
    path.length > 80 ? `${path.slice(0, 40)}…(${path.length})` : path;
  it.each(
    (
      [
        ['/v1/profiles/u1', 400, 'invalid_identity_ref'],
        ['/v1/profiles/:u1', 400, 'invalid_identity_ref'],
        ['/v1/profiles/shoe_size:42', 400, 'invalid_identity_ref'],
        ['/v1/profiles/phone:not-a-number', 400, 'invalid_identity_ref'],
        ['/v1/profiles/user_id:undefined', 400, 'invalid_identity_ref'],
        ['/v1/profiles/__proto__:x', 400, 'invalid_identity_ref'],
        ['/v1/profiles/user_id:nobody', 404, 'profile_not_found'],
        ['/v1/profiles/user_id:nobody/events', 404, 'profile_not_found'],
        ['/v1/profiles/user_id:nobody/merges', 404, 'profile_not_found'],
        ['/v1/profiles/user_id:a1/events?cursor=abc', 400, 'invalid_query'],
        ['/v1/profiles/user_id:a1/events?limit=0', 400, 'invalid_query'],
        [`/v1/profiles/user_id:${'x'.repeat(255)}`, 404, 'profile_not_found'],
        [`/v1/profiles/user_id:${'x'.repeat(256)}`, 400, 'invalid_identity_ref'],
        [`/v1/profiles/user_id:${'%E4%B8%AD'.repeat(255)}`, 404, 'profile_not_found'],
        [`/v1/profiles/user_id:${'x'.repeat(20_000)}`, 400, 'bad_request'],
        ['/v1/profiles/user_id:%E4%B8%AD%E6%96%87', 404, 'profile_not_found'],
      ] as const
    ).map(([path, status, code]) => [short(path), status, code, path] as const),
  )('GET %s → %i %s', async (_label, status, code, path) => {
    const c = await start();
    const res = await admin(c, path);
    expect(res).toMatchObject({ status, body: { code } });
  });

  it.each([
    ['/v1/profiles/nope', 400, 'invalid_identity_ref'],
    ['/v1/profiles/user_id:null', 400, 'invalid_identity_ref'],
    ['/v1/profiles/user_id:nobody', 404, 'profile_not_found'],
    ['/v1/profiles/user_id:u1/identities/nope', 400, 'invalid_identity_ref'],
    ['/v1/profiles/user_id:u1/identities/constructor:x', 400, 'invalid_identity_ref'],
    ['/v1/suppressions/phone:12', 400, 'invalid_identity_ref'],
    ['/v1/suppressions/user_id:never-suppressed', 404, 'suppression_not_found'],
  ])('DELETE %s → %i %s', async (path, status, code) => {
    const c = await start();
    await send(c, event('identify', 0, { anonymousId: 'a', userId: 'u1' }));
    expect(await admin(c, path, 'DELETE')).toMatchObject({ status, body: { code } });
    // Nothing was removed by the refused request.
    expect(idsOf(await profile(c, 'user_id:u1'))).toEqual(['anonymous_id:a', 'user_id:u1']);
  });

  it('needs the admin token', async () => {
    const c = await start();
    const res = await fetch(`${c.url}/v1/profiles/user_id:u1`);
    expect(res.status).toBe(401);
    const del = await fetch(`${c.url}/v1/profiles/user_id:u1`, {
      method: 'DELETE',
      headers: { authorization: 'Bearer wrong' },
    });
    expect(del.status).toBe(401);
  });

  it('answers identity_disabled when identity resolution is off, and still stores events', async () => {
    const c = await start({ identity: null });
    await send(c, event('identify', 0, { anonymousId: 'a', userId: 'null' }));
    expect(await storedEvents(c)).toHaveLength(1);
    expect(await admin(c, '/v1/profiles/user_id:u1')).toMatchObject({
      status: 404,
      body: { code: 'identity_disabled' },
    });
  });
});

describe('sensitive identities', () => {
  it('stores phone numbers as HMACs, in the graph and the payload, and still finds the profile', async () => {
    const c = await start({
      identity: defaultIdentityRules(DEFAULT_IDENTITY_TYPES, {
        sensitive: ['phone'],
        secret: 'test-secret-0123456789',
      }),
    });
    await send(c, event('identify', 0, { userId: 'u1', identities: { phone: '13800138000' } }));
    const p = await profile(c, 'phone:+86 138 0013 8000');
    const phone = p.identities.find((i) => i.type === 'phone');
    expect(phone?.value).toMatch(/^h:[A-Za-z0-9_-]{43}$/);
    const [stored] = await storedEvents(c);
    expect(JSON.stringify(stored)).not.toContain('13800138000');
    expect(stored?.event['identities']).toEqual({ phone: phone?.value });
  });
});
