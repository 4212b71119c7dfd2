import type { SpoorEvent } from '@spoor/schemas';
import { describe, expect, it } from 'vitest';
import { assemblePayload, normalize, type ServerFields } from './normalize.js';
import type { PrepareSettings, RequestContext } from './prepare.js';
import { createUserAgentParser } from './user-agent.js';

const settings = { parseUserAgent: createUserAgentParser() } as PrepareSettings;
const req: RequestContext = { source: 'web', receivedAt: 0, ip: '10.0.0.1' };
const fields: ServerFields = {
  messageId: 'm-1',
  timestamp: '2026-11-22T08:00:00.000Z',
  receivedAt: '2026-11-22T08:00:01.000Z',
  sentAt: '2026-11-22T08:00:00.500Z',
  ip: '10.0.0.1',
};
const event = (e: Record<string, unknown>) => e as unknown as SpoorEvent;

describe('normalize', () => {
  it('puts context first, drops server fields, stringifies ids, keeps the client time', () => {
    const out = normalize(
      event({
        type: 'group',
        userId: 7,
        groupId: 9,
        messageId: 'm',
        timestamp: 't',
        sentAt: 's',
        receivedAt: 'r',
        extra: 1,
      }),
      req,
      settings,
    );
    expect(Object.keys(out)[0]).toBe('context');
    expect(out).toEqual({
      context: {},
      type: 'group',
      userId: '7',
      groupId: '9',
      extra: 1,
      originalTimestamp: 't',
    });
  });

  it('merges batch context and integrations under the event’s own', () => {
    const batchReq = {
      ...req,
      batch: { context: { locale: 'zh-CN', app: { name: 'a' } }, integrations: { All: false } },
    };
    const out = normalize(
      event({ type: 'track', context: { app: { name: 'b' } }, integrations: { CRM: true } }),
      batchReq,
      settings,
    );
    expect(out['context']).toEqual({ locale: 'zh-CN', app: { name: 'b' } });
    expect(out['integrations']).toEqual({ All: false, CRM: true });
  });

  it('adds parsed user-agent fields without overwriting the client’s', () => {
    const ua =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';
    const out = normalize(
      event({
        type: 'track',
        context: { userAgent: ua, os: { name: 'HarmonyOS' }, device: { model: 'X' } },
      }),
      req,
      settings,
    );
    expect(out['context']).toMatchObject({
      os: { name: 'HarmonyOS' },
      device: { vendor: 'Apple', type: 'mobile', model: 'X' },
    });
  });
});

describe('assemblePayload', () => {
  it.each([
    ['empty context', { context: {}, type: 'track' }],
    [
      'non-empty context',
      { context: { locale: 'zh-CN' }, type: 'track', properties: { a: '标签' } },
    ],
  ])('splices server fields into %s', (_name, normalized) => {
    const payload = assemblePayload(JSON.stringify(normalized), fields);
    expect(JSON.parse(payload!)).toEqual({
      ...normalized,
      context: { ip: '10.0.0.1', ...normalized.context },
      messageId: 'm-1',
      timestamp: fields.timestamp,
      receivedAt: fields.receivedAt,
      sentAt: fields.sentAt,
    });
  });

  it('leaves a client-given IP alone and omits an absent sentAt', () => {
    const normalized = { context: { ip: '1.2.3.4' }, type: 'track' };
    const payload = assemblePayload(JSON.stringify(normalized), {
      ...fields,
      ip: null,
      sentAt: undefined,
    });
    expect(JSON.parse(payload!)).toEqual({
      ...normalized,
      messageId: 'm-1',
      timestamp: fields.timestamp,
      receivedAt: fields.receivedAt,
    });
  });

  it('declines JSON that does not open with context (integer-like keys sort first)', () => {
    const normalized = { context: {}, '0': 'x' };
    expect(JSON.stringify(normalized).startsWith('{"0"')).toBe(true);
    expect(assemblePayload(JSON.stringify(normalized), fields)).toBeNull();
  });
});
