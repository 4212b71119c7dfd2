import { describe, expect, it } from 'vitest';
import { createMemoryStorage, type KeyValueStorage } from './platform.js';
import { settle, status } from './test-kit/fake-platform.js';
import { sentEvents, setup } from './test-kit/client.js';

describe('client API', () => {
  it('flush() starts its request before it returns once the stored state is loaded', async () => {
    const { fake, client } = setup({ flushAt: 100 });
    client.track('Queued before load');
    const early = client.flush();
    // Before the state is loaded the call waits for it, like every other call.
    expect(fake.sent).toHaveLength(0);
    await early;
    client.track('Hidden');
    const done = client.flush();
    // No await in between: a mini-program's hide callback relies on this.
    expect(fake.sent).toHaveLength(2);
    expect(fake.sent[1]!.batch.map((e) => e['event'])).toEqual(['Hidden']);
    await done;
  });

  it('identify sets the user and traits; later events carry the user; reset forgets them', async () => {
    const { fake, client } = setup();
    await client.ready;
    const anonymous = client.anonymousId;
    client.identify('u1', { plan: 'pro' });
    client.track('Clicked');
    client.reset();
    client.track('After logout');
    const events = await sentEvents(fake, client);
    expect(events[0]).toMatchObject({
      type: 'identify',
      userId: 'u1',
      anonymousId: anonymous,
      traits: { plan: 'pro' },
    });
    expect(events[1]).toMatchObject({ userId: 'u1', anonymousId: anonymous });
    expect(events[2]?.['userId']).toBeUndefined();
    expect(events[2]?.['anonymousId']).not.toBe(anonymous);
  });

  it('page, screen, group, alias and profile operations build the documented envelopes', async () => {
    const { fake, client } = setup();
    client.page('Docs', 'Install', { path: '/install' });
    client.page('Home');
    client.page('Pricing', { plan: 'team' });
    client.screen('Cart', { items: 2 });
    client.group('acme', { seats: 5 });
    client.alias('u9');
    client.setOnce({ first_seen: 'ad' });
    client.increment({ points: 5, bad: 'x' as unknown as number });
    client.append({ tags: ['a'] }, { unique: true });
    client.unset(['nick']);
    const events = await sentEvents(fake, client);
    expect(
      events.map((e) => [
        e['type'],
        e['name'] ?? e['groupId'] ?? e['previousId'] ?? e['operations'],
      ]),
    ).toEqual([
      ['page', 'Install'],
      ['page', 'Home'],
      ['page', 'Pricing'],
      ['screen', 'Cart'],
      ['group', 'acme'],
      ['alias', client.anonymousId],
      ['identify', { setOnce: { first_seen: 'ad' } }],
      ['identify', { increment: { points: 5 } }],
      ['identify', { union: { tags: ['a'] } }],
      ['identify', { unset: ['nick'] }],
    ]);
    expect(events[0]).toMatchObject({ category: 'Docs', properties: { path: '/install' } });
    expect(events[2]).toMatchObject({ properties: { plan: 'team' } });
    expect(events[5]).toMatchObject({ userId: 'u9' });
  });

  it('register adds super properties to every event; bind adds identities', async () => {
    const { fake, client } = setup();
    client.register({ app_version: '2.1', shop: 'sh-01' });
    client.bind({ wechat_unionid: 'un-1', phone: 13800138000 });
    client.track('A', { shop: 'override' });
    client.unregister('shop');
    client.track('B');
    const [a, b] = await sentEvents(fake, client);
    expect(a).toMatchObject({
      properties: { app_version: '2.1', shop: 'override' },
      identities: { wechat_unionid: 'un-1', phone: '13800138000' },
    });
    expect(b?.['properties']).toEqual({ app_version: '2.1' });
  });

  it('runs plugins: enrich, filter (null drops with the plugin name), deliver; a throwing plugin drops, never throws', async () => {
    const seen: string[] = [];
    const { fake, client, drops } = setup({
      plugins: [
        {
          name: 'tenant',
          enrich: (e) => ({ ...e, properties: { ...(e['properties'] as object), tenant: 't1' } }),
        },
        { name: 'no-debug', filter: (e) => (e['event'] === 'Debug' ? null : e) },
        {
          name: 'boom',
          filter: (e) => {
            if (e['event'] === 'Boom') throw new Error('bad');
            return e;
          },
        },
        { name: 'mirror', deliver: (e) => seen.push(String(e['event'])) },
      ],
    });
    client.track('Keep');
    client.track('Debug');
    client.track('Boom');
    const events = await sentEvents(fake, client);
    expect(events.map((e) => e['event'])).toEqual(['Keep']);
    expect(events[0]?.['properties']).toEqual({ tenant: 't1' });
    expect(drops.map((d) => [d.reason, d.detail])).toEqual([
      ['filtered', 'no-debug'],
      ['plugin_error', 'boom: Error: bad'],
    ]);
    expect(seen).toEqual(['Keep']);
  });

  it('consent: pending sends and persists nothing; optIn sends; optOut drops and forgets', async () => {
    const storage = createMemoryStorage();
    const { fake, client, drops } = setup({ consent: 'pending' }, storage);
    client.track('Before choice');
    await fake.advance(60_000);
    expect(fake.sent).toHaveLength(0);
    expect(await storage.get('spoor.identity')).toBeUndefined();
    expect(await storage.get('spoor.queue')).toBeUndefined();
    client.optIn();
    await client.flush();
    expect(fake.events().map((e) => e['event'])).toEqual(['Before choice']);
    expect(await storage.get('spoor.identity')).toMatchObject({ anonymousId: client.anonymousId });
    client.optOut();
    client.track('After refusal');
    await settle();
    expect(drops.map((d) => d.reason)).toEqual(['consent']);
    expect(await storage.get('spoor.identity')).toBeUndefined();
    expect(await storage.get('spoor.consent')).toBe('denied');
    expect(client.consent).toBe('denied');
  });

  it('writes the queue to storage once per burst of calls, not once per call', async () => {
    const inner = createMemoryStorage();
    let queueWrites = 0;
    const storage: KeyValueStorage = {
      get: (k) => inner.get(k),
      remove: (k) => inner.remove(k),
      set: (k, v) => {
        if (k === 'spoor.queue') queueWrites++;
        return inner.set(k, v);
      },
    };
    const { client } = setup({ flushAt: 10_000 }, storage);
    await client.ready;
    await settle();
    queueWrites = 0;
    for (let i = 0; i < 1000; i++) client.track('Burst', { i });
    await settle();
    expect(queueWrites).toBe(1);
    expect(((await storage.get('spoor.queue')) as unknown[]).length).toBe(1000);
  });

  it('bounds the calls waiting for a slow storage, dropping the oldest', async () => {
    const waiting: (() => void)[] = [];
    const release = () => waiting.splice(0).forEach((resolve) => resolve());
    const slow: KeyValueStorage = {
      get: () => new Promise((resolve) => waiting.push(() => resolve(undefined))),
      set: async () => {},
      remove: async () => {},
    };
    const { fake, client, drops } = setup({ maxQueueSize: 3, flushAt: 10 }, slow);
    for (let i = 0; i < 5; i++) client.track(`E${i}`);
    expect(drops.map((d) => d.reason)).toEqual(['queue_overflow', 'queue_overflow']);
    expect(drops.map((d) => d.count)).toEqual([1, 1]);
    release();
    await client.flush();
    expect(fake.events().map((e) => e['event'])).toEqual(['E2', 'E3', 'E4']);
  });

  it('a call made before the stored state is loaded keeps the context of the moment it was made', async () => {
    const { fake, client } = setup();
    let path = '/a';
    fake.platform.context = () => ({ page: { path } });
    client.track('On A');
    path = '/b';
    client.track('On B, still loading');
    await client.ready;
    client.track('On B');
    const pages = (await sentEvents(fake, client)).map((e) => [
      e['event'],
      (e['context'] as { page: { path: string } }).page.path,
    ]);
    expect(pages).toEqual([
      ['On A', '/a'],
      ['On B, still loading', '/b'],
      ['On B', '/b'],
    ]);
  });

  it('reads the context the platform hands back, reused object or new', async () => {
    const { fake, client } = setup();
    let context: Record<string, unknown> = { page: { path: '/a' }, at: new Date(0) };
    fake.platform.context = () => context;
    await client.ready;
    client.track('One');
    client.track('Two');
    context = { page: { path: '/b' } };
    client.track('Three');
    const contexts = (await sentEvents(fake, client)).map((e) => e['context']);
    expect(contexts[0]).toMatchObject({ page: { path: '/a' }, at: '1970-01-01T00:00:00.000Z' });
    expect(contexts[1]).toEqual(contexts[0]);
    expect(contexts[2]).toMatchObject({ page: { path: '/b' } });
    expect(contexts[2]).not.toHaveProperty('at');
  });

  it('a reload keeps the anonymous ID and sends the persisted queue with the same messageIds', async () => {
    const storage = createMemoryStorage();
    const first = setup({}, storage);
    first.fake.answer(() => status(503));
    first.client.track('Offline');
    await settle();
    const id = first.fake.sent[0]?.batch[0]?.['messageId'];
    const second = setup({}, storage);
    await second.client.ready;
    expect(second.client.anonymousId).toBe(first.client.anonymousId);
    await second.client.flush();
    expect(second.fake.events().map((e) => e['messageId'])).toEqual([id]);
  });
});
