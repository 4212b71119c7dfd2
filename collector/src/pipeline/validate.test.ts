import { validateEvent } from '@spoor/schemas';
import { describe, expect, it } from 'vitest';
import { compileFastCheck, createEventValidator } from './validate.js';

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias', 'purchase', '', 7, null];
const FIELDS = [
  'messageId',
  'anonymousId',
  'userId',
  'event',
  'name',
  'category',
  'properties',
  'traits',
  'groupId',
  'previousId',
  'context',
  'integrations',
  'timestamp',
  'originalTimestamp',
  'sentAt',
  'identities',
  'operations',
  'custom',
];

function generator(seed: number) {
  const rnd = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
  const scalar = (): unknown =>
    pick([
      'id-1',
      '',
      'x'.repeat(256),
      42,
      -1.5,
      true,
      null,
      '2026-11-22T08:00:00.000Z',
      '2026-11-22T16:00:00+08:00',
      '2026-11-22 08:00',
      'yesterday',
    ]);
  const value = (depth: number): unknown => {
    const r = rnd();
    if (depth > 2 || r < 0.5) return scalar();
    if (r < 0.75) return Array.from({ length: Math.floor(rnd() * 3) }, () => value(depth + 1));
    return object(depth + 1);
  };
  const object = (depth: number): Record<string, unknown> =>
    Object.fromEntries(
      Array.from({ length: Math.floor(rnd() * 4) }, () => [
        pick([
          'a',
          'page',
          'library',
          'ip',
          'name',
          'os',
          'screen',
          'phone',
          'Phone',
          'wechat_openid',
          'setOnce',
          'increment',
          'unset',
          'union',
          'x-y',
        ]),
        value(depth),
      ]),
    );
  const good: Record<string, () => unknown> = {
    messageId: () => 'm-1',
    anonymousId: () => pick(['a-1', 5]),
    userId: () => pick(['u-1', 9]),
    event: () => 'Order Completed',
    name: () => 'Home',
    category: () => 'Shop',
    properties: () => ({ revenue: 1 }),
    traits: () => ({ plan: 'pro' }),
    groupId: () => 'g-1',
    previousId: () => 'a-0',
    context: () =>
      pick([{}, { page: { url: 'u' } }, { library: { name: 'l' } }, { screen: { width: 3 } }]),
    integrations: () => ({ All: true }),
    timestamp: () => '2026-11-22T08:00:00.000Z',
    originalTimestamp: () => '2026-11-22T16:00:00+08:00',
    sentAt: () => '2026-11-22T08:00:01Z',
    identities: () => pick([{ phone: '+8613800000000' }, { wechat_openid: 'o1', member_id: 3 }]),
    operations: () =>
      pick([
        { setOnce: { a: 1 } },
        { increment: { n: 1 } },
        { unset: ['a'] },
        { append: { l: [1] } },
      ]),
    custom: () => ({ anything: [1, 'two'] }),
  };
  return (): Record<string, unknown> => {
    const event: Record<string, unknown> = { type: pick(TYPES) };
    for (const field of FIELDS) {
      const r = rnd();
      if (r < 0.45) event[field] = good[field]?.();
      else if (r < 0.55) event[field] = value(1);
    }
    return event;
  };
}

describe('fast validator', () => {
  const fast = compileFastCheck();

  it('agrees with the zod schema on 20,000 generated events', () => {
    const next = generator(20261122);
    let valid = 0;
    for (let i = 0; i < 20_000; i++) {
      const event = next();
      const zod = validateEvent(event).ok;
      if (fast(event) !== zod)
        expect.fail(`ajv and zod disagree (zod: ${zod}) on ${JSON.stringify(event)}`);
      if (zod) valid++;
    }
    // Both verdicts must be well represented, or the comparison proves little.
    expect(valid).toBeGreaterThan(2000);
    expect(valid).toBeLessThan(18_000);
  });

  it('returns the event itself when valid and zod’s coded issues when not', () => {
    const validate = createEventValidator();
    const event = { type: 'track', event: 'X', anonymousId: 'a' };
    expect(validate(event)).toEqual({ ok: true, value: event });
    expect(validate(event).ok && (validate(event) as { value: unknown }).value).toBe(event);
    expect(validate({ type: 'track', event: 'X' })).toEqual({
      ok: false,
      errors: [expect.objectContaining({ code: 'missing_identity' })],
    });
  });
});
