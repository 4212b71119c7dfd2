// Hostile and malformed input to every client method: nothing throws, nothing unsafe leaves.
import { describe, expect, it } from 'vitest';
import type { SpoorClient } from './api.js';
import { settle } from './test-kit/fake-platform.js';
import { sentEvents, setup } from './test-kit/client.js';

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
