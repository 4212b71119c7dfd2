import { describe, expect, it } from 'vitest';
import { createClient, type SpoorClient } from './api.js';
import type { ClientError } from './emitter.js';
import type { DropNotice } from './drops.js';
import { createMemoryStorage, type KeyValueStorage } from './platform.js';
import { createFakePlatform, settle, status } from './test-kit/fake-platform.js';

const LIBRARY = { name: '@spoor/test', version: '0.0.0' };
function setup(
  options: Partial<Parameters<typeof createClient>[1]> = {},
  storage?: KeyValueStorage,
) {
  const fake = createFakePlatform(storage ? { storage } : {});
  const client = createClient(fake.platform, {
    writeKey: 'wk',
    host: 'https://t.example.com',
    library: LIBRARY,
    flushAt: 1,
    ...options,
  });
  const drops: DropNotice[] = [];
  const errors: ClientError[] = [];
  client.on('drop', (d) => drops.push(d));
  client.on('error', (e) => errors.push(e));
  return { fake, client, drops, errors };
}
const sentEvents = async (fake: ReturnType<typeof createFakePlatform>, client: SpoorClient) => {
  await client.flush();
  return fake.events();
};

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
    release();
    await client.flush();
    expect(fake.events().map((e) => e['event'])).toEqual(['E2', 'E3', 'E4']);
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

describe('bad input never throws', () => {
  const circular: Record<string, unknown> = { a: 1 };
  circular['self'] = circular;
  const hostile = {
    circular,
    big: 10n,
    date: new Date('2026-01-02T03:04:05Z'),
    nan: Number.NaN,
    undef: undefined,
    fn: () => 1,
    nested: JSON.parse('{"__proto__":{"polluted":true},"ok":1}') as unknown,
    lone: 'x\ud800y',
    deep: Array.from({ length: 30 }).reduce((acc) => ({ d: acc }), {}),
  };

  it.each([
    ['track with no name', (c: SpoorClient) => c.track(undefined as unknown as string)],
    ['track with a number name', (c: SpoorClient) => c.track(42 as unknown as string)],
    ['track with hostile properties', (c: SpoorClient) => c.track('H', hostile)],
    ['identify with a circular trait', (c: SpoorClient) => c.identify('u', circular)],
    [
      'track with properties that are a string',
      (c: SpoorClient) => c.track('S', 'x' as unknown as object as Record<string, unknown>),
    ],
    ['group without id', (c: SpoorClient) => c.group(null as unknown as string)],
    ['alias without id', (c: SpoorClient) => c.alias(undefined as unknown as string)],
    ['bind with a bad type', (c: SpoorClient) => c.bind({ 'Bad Type': 'x' })],
    ['on with a non-function', (c: SpoorClient) => c.on('drop', 5 as unknown as () => void)],
    ['unset with a non-array', (c: SpoorClient) => c.unset('x' as unknown as string[])],
    ['a huge event', (c: SpoorClient) => c.track('Huge', { blob: 'x'.repeat(40_000) })],
    [
      'a throwing getter',
      (c: SpoorClient) =>
        c.track(
          'G',
          Object.defineProperty({}, 'bad', {
            enumerable: true,
            get: () => {
              throw new Error('no');
            },
          }),
        ),
    ],
  ])('%s', async (_name, call) => {
    const { fake, client } = setup();
    client.on('error', () => {
      throw new Error('a listener that throws');
    });
    expect(() => call(client)).not.toThrow();
    await client.flush();
    // Whatever was sent is a whole event (the call either built one or dropped it).
    for (const e of fake.events()) expect(e).toMatchObject({ messageId: expect.any(String) });
  });

  it('sanitises hostile properties into JSON the collector accepts', async () => {
    const { fake, client, errors } = setup();
    client.track('H', hostile);
    const [event] = await sentEvents(fake, client);
    const p = event?.['properties'] as Record<string, unknown>;
    expect(p).toMatchObject({
      big: '10',
      date: '2026-01-02T03:04:05.000Z',
      nan: null,
      nested: { ok: 1 },
      lone: 'x\ufffdy',
    });
    expect(p['circular']).toEqual({ a: 1, self: '[Circular]' });
    expect('undef' in p || 'fn' in p).toBe(false);
    expect(JSON.stringify(p)).not.toContain('polluted');
    expect(errors.map((e) => e.code)).toContain('sanitized');
  });

  it('reports events over 32 KB and drops them as too_large', async () => {
    const { client, drops, errors } = setup();
    client.track('Huge', { blob: 'x'.repeat(40_000) });
    await settle();
    expect(drops).toEqual([expect.objectContaining({ reason: 'too_large' })]);
    expect(errors.map((e) => e.code)).toEqual(['too_large']);
  });

  it('writes timestamps as ISO-8601 UTC whatever form they were given in', async () => {
    const { fake, client } = setup();
    client.track('A', {}, { timestamp: '2026-11-20T10:00:00+08:00' });
    client.track('B', {}, { timestamp: new Date(Date.UTC(2026, 0, 2)) });
    client.track('C', {}, { timestamp: 'not a date' });
    const events = await sentEvents(fake, client);
    expect(events.map((e) => e['timestamp'])).toEqual([
      '2026-11-20T02:00:00.000Z',
      '2026-01-02T00:00:00.000Z',
      '2026-11-22T08:00:00.000Z',
    ]);
  });

  it('on a server (requireUser), a call without userId or anonymousId is reported and dropped', async () => {
    const { fake, client, drops, errors } = setup({ requireUser: true });
    client.track('Order Completed');
    client.track('Order Completed', {}, { userId: 'u1' });
    const events = await sentEvents(fake, client);
    expect(events).toHaveLength(1);
    expect(events[0]?.['anonymousId']).toBeUndefined();
    expect(drops.map((d) => d.reason)).toEqual(['invalid']);
    expect(errors[0]?.message).toMatch(/userId or anonymousId/);
  });
});
