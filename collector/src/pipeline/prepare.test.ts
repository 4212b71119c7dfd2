import { DEFAULT_LIMITS } from '@spoor/schemas';
import { describe, expect, it } from 'vitest';
import { prepareEvent, type PrepareSettings, type RequestContext } from './prepare.js';
import { createUserAgentParser } from './user-agent.js';
import { createEventValidator } from './validate.js';

const settings: PrepareSettings = {
  limits: DEFAULT_LIMITS,
  identityTypes: new Set(['phone']),
  maxFutureMs: 86_400_000,
  maxPastMs: 3650 * 86_400_000,
  parseUserAgent: createUserAgentParser(),
  validate: createEventValidator(),
  identity: null,
  purchaseEvents: new Set(['Order Completed']),
};
const now = Date.parse('2026-11-22T08:00:00.000Z');
const request = (over: Partial<RequestContext> = {}): RequestContext => ({
  source: 'web',
  receivedAt: now,
  ip: '10.0.0.1',
  ...over,
});
const event = (over: Record<string, unknown> = {}) => ({
  type: 'track',
  event: 'Order Completed',
  messageId: 'm-1',
  anonymousId: 'a-1',
  timestamp: '2026-11-22T07:59:00.000Z',
  properties: { revenue: 10 },
  ...over,
});

function prepared(raw: unknown, req = request()) {
  const result = prepareEvent(raw, req, settings);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.row;
}

describe('prepareEvent', () => {
  it('fingerprints what the client sent, not when or from where it was delivered', () => {
    const first = prepared(event({ sentAt: '2026-11-22T07:59:01.000Z' }));
    const retry = prepared(
      event({ sentAt: '2026-11-22T07:59:31.000Z' }),
      request({ receivedAt: now + 30_000, ip: '10.9.9.9' }),
    );
    expect(retry.fingerprint).toBe(first.fingerprint);
    expect(retry.payload).not.toBe(first.payload);
    expect(prepared(event({ properties: { revenue: 11 } })).fingerprint).not.toBe(
      first.fingerprint,
    );
  });

  it('derives the same messageId for the same content without one', () => {
    const raw = () => {
      const { messageId: _id, ...rest } = event();
      return rest;
    };
    const a = prepared(raw());
    const b = prepared(raw(), request({ receivedAt: now + 5000, ip: '10.0.0.2' }));
    expect(a.messageId).toMatch(/^spoor-[0-9a-f]{40}$/);
    expect(b.messageId).toBe(a.messageId);
  });

  it('gives each event without messageId or timestamp its own id: identical ones may be real repeats', () => {
    const untimed = () => {
      const { messageId: _id, timestamp: _t, ...rest } = event();
      return rest;
    };
    const a = prepared(untimed());
    const b = prepared(untimed());
    expect(a.messageId).toMatch(/^spoor-/);
    expect(b.messageId).not.toBe(a.messageId);
    expect(b.fingerprint).toBe(a.fingerprint);
  });

  it('stores the enriched event with server fields', () => {
    const row = prepared(
      event({ sentAt: '2026-11-22T08:00:00.000Z', context: { locale: 'zh-CN' } }),
    );
    expect(JSON.parse(row.payload)).toEqual({
      messageId: 'm-1',
      timestamp: '2026-11-22T07:59:00.000Z',
      receivedAt: '2026-11-22T08:00:00.000Z',
      sentAt: '2026-11-22T08:00:00.000Z',
      originalTimestamp: '2026-11-22T07:59:00.000Z',
      context: { ip: '10.0.0.1', locale: 'zh-CN' },
      type: 'track',
      event: 'Order Completed',
      anonymousId: 'a-1',
      properties: { revenue: 10 },
    });
    expect(row).toMatchObject({
      source: 'web',
      type: 'track',
      name: 'Order Completed',
      anonymousId: 'a-1',
      userId: null,
      timestamp: now - 60_000,
    });
  });

  it('stores events whose integer-like keys sort before context', () => {
    const row = prepared(event({ '0': 'zero', '12': 'twelve' }));
    expect(JSON.parse(row.payload)).toMatchObject({
      '0': 'zero',
      '12': 'twelve',
      messageId: 'm-1',
      context: { ip: '10.0.0.1' },
    });
  });
});
