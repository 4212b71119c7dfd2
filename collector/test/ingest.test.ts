import { deflateSync, gzipSync } from 'node:zlib';
import type { IngestResponse } from '@spoor/schemas';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  WRITE_KEY,
  injectPost,
  startCollector,
  storedEvent,
  storedEvents,
  trackEvent,
  type TestCollector,
} from './kit.js';
import { TRANSPORTS, send } from './transports.js';

describe('ingest', () => {
  let c: TestCollector;
  beforeAll(async () => {
    c = await startCollector({ listen: true });
  });
  afterAll(async () => c.close());

  describe('answers', () => {
    it('accepts an all-valid batch with 200 and the accepted count', async () => {
      const events = [trackEvent(), trackEvent(), trackEvent()];
      const res = await injectPost(c, { batch: events });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        success: true,
        accepted: 3,
        duplicates: 0,
        suppressed: 0,
        conflicts: [],
        conflictCount: 0,
        rejected: [],
        rejectedCount: 0,
      });
      for (const e of events) expect(await storedEvent(c, e['messageId'])).toBeDefined();
    });

    it('stores the valid events of a partly valid batch and lists each rejected one', async () => {
      const events = [
        trackEvent(),
        trackEvent({ anonymousId: undefined }),
        trackEvent(),
        trackEvent({ event: '' }),
      ];
      const res = await injectPost(c, { batch: events });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        success: true,
        accepted: 2,
        rejected: [
          {
            index: 1,
            messageId: events[1]!['messageId'],
            errors: [{ code: 'missing_identity', path: '' }],
          },
          {
            index: 3,
            messageId: events[3]!['messageId'],
            errors: [{ code: 'invalid_field', path: 'event' }],
          },
        ],
      });
      expect(await storedEvent(c, events[0]!['messageId'])).toBeDefined();
      expect(await storedEvent(c, events[2]!['messageId'])).toBeDefined();
      expect(await storedEvent(c, events[1]!['messageId'])).toBeUndefined();
      expect(await storedEvent(c, events[3]!['messageId'])).toBeUndefined();
    });

    it('answers 400 no_valid_events with the reasons when nothing is valid', async () => {
      const before = (await storedEvents(c)).length;
      const res = await injectPost(c, { batch: [trackEvent({ type: 'buy' }), 7] });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        code: 'no_valid_events',
        message: expect.any(String),
        rejected: [
          { index: 0, errors: [{ code: 'unknown_type' }] },
          { index: 1, messageId: null, errors: [{ code: 'invalid_event' }] },
        ],
      });
      expect((await storedEvents(c)).length).toBe(before);
    });
  });

  describe('write keys', () => {
    const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
    it.each([
      ['no key at all', {}, {}],
      ['an unknown key in Basic auth', { authorization: basic('nope') }, {}],
      ['an unknown writeKey in the body', {}, { writeKey: 'nope' }],
      ['a writeKey that is not a string', {}, { writeKey: 42 }],
      ['a Bearer token instead of Basic', { authorization: `Bearer ${WRITE_KEY}` }, {}],
    ])('refuses %s with 401 unauthorized', async (_name, headers, extra) => {
      const event = trackEvent();
      const res = await c.app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers: { 'content-type': 'application/json', ...headers },
        payload: JSON.stringify({ batch: [event], ...extra }),
      });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ code: 'unauthorized', message: expect.any(String) });
      expect(await storedEvent(c, event['messageId'])).toBeUndefined();
    });

    it('accepts the key as Basic user name whatever the password', async () => {
      const event = trackEvent();
      const authorization = `Basic ${Buffer.from(`${WRITE_KEY}:ignored`).toString('base64')}`;
      const res = await injectPost(c, { batch: [event] }, '/v1/batch', { authorization });
      expect(res.statusCode).toBe(200);
      expect(await storedEvent(c, event['messageId'])).toBeDefined();
    });

    it.each(['/v1/batch', '/v1/track'])(
      'takes a sendBeacon post to %s: text/plain, no custom header, key in the body',
      async (path) => {
        const event = trackEvent();
        const body =
          path === '/v1/batch'
            ? { writeKey: WRITE_KEY, batch: [event] }
            : { ...event, writeKey: WRITE_KEY };
        const res = await fetch(`${c.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain;charset=UTF-8' },
          body: JSON.stringify(body),
        });
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ accepted: 1 });
        const saved = await storedEvent(c, event['messageId']);
        expect(saved).toMatchObject({ type: 'track', event: event['event'] });
        expect(saved).not.toHaveProperty('writeKey');
        expect(JSON.stringify(saved)).not.toContain(WRITE_KEY);
      },
    );
  });

  describe('content encodings', () => {
    const cases = TRANSPORTS.flatMap((t) =>
      (['gzip', 'deflate'] as const).map((encoding) => [encoding, t] as const),
    );
    it.each(cases)('accepts a %s body over %s', async (encoding, transport) => {
      const event = trackEvent();
      const raw = Buffer.from(JSON.stringify({ batch: [event] }));
      const res = await send(c, transport, {
        path: '/v1/batch',
        headers: {
          authorization: c.basic,
          'content-type': 'application/json',
          'content-encoding': encoding,
        },
        body: encoding === 'gzip' ? gzipSync(raw) : deflateSync(raw),
      });
      expect(res.status).toBe(200);
      expect(res.json()).toMatchObject({ accepted: 1 });
      expect(await storedEvent(c, event['messageId'])).toMatchObject({ event: event['event'] });
    });
  });

  describe('dedupe', () => {
    it('derives a messageId and recognises a blind retry of the same payload', async () => {
      const event = { ...trackEvent(), messageId: undefined, event: `Retry ${Math.random()}` };
      const first = await injectPost(c, { sentAt: new Date().toISOString(), batch: [event] });
      expect(first.json()).toMatchObject({ accepted: 1, duplicates: 0 });
      // A retry is sent later: only sentAt differs, and it is not part of the identity.
      const retry = await injectPost(c, {
        sentAt: new Date(Date.now() + 1000).toISOString(),
        batch: [event],
      });
      expect(retry.json()).toMatchObject({ accepted: 0, duplicates: 1, conflicts: [] });
      const copies = (await storedEvents(c)).filter((s) => s.event['event'] === event.event);
      expect(copies).toHaveLength(1);
      expect(copies[0]?.event['messageId']).toMatch(/^spoor-[0-9a-f]{40}$/);
    });

    it('keeps the first payload when a messageId is reused for another one', async () => {
      const event = trackEvent();
      expect((await injectPost(c, { batch: [event] })).statusCode).toBe(200);
      const res = await injectPost(c, { batch: [{ ...event, event: 'Something Else' }] });
      expect(res.json<IngestResponse>()).toMatchObject({
        accepted: 0,
        duplicates: 1,
        conflicts: [{ index: 0, messageId: event['messageId'] }],
      });
      expect(await storedEvent(c, event['messageId'])).toMatchObject({ event: event['event'] });
    });
  });

  describe('single-event endpoints', () => {
    const bodies = {
      track: { event: 'Signed Up' },
      identify: { traits: { plan: 'pro' } },
      page: { name: 'Home' },
      screen: { name: 'Cart' },
      group: { groupId: 'g1' },
      alias: { previousId: 'anon-9' },
    };
    it.each(Object.entries(bodies))('sets type %s from the path', async (type, fields) => {
      const messageId = `single-${type}-${Math.random()}`;
      const res = await injectPost(c, { userId: 'u1', messageId, ...fields }, `/v1/${type}`);
      expect(res.statusCode).toBe(200);
      expect(await storedEvent(c, messageId)).toMatchObject({ type, ...fields });
    });

    it('refuses a type that contradicts the path', async () => {
      const event = trackEvent({ type: 'identify' });
      const res = await injectPost(c, event, '/v1/track');
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        code: 'no_valid_events',
        rejected: [{ index: 0, errors: [{ code: 'invalid_field', path: 'type' }] }],
      });
      expect(await storedEvent(c, event['messageId'])).toBeUndefined();
    });
  });
});

describe('ingest with restricted origins', () => {
  const shop = 'https://shop.example.com';
  let c: TestCollector;
  beforeAll(async () => {
    c = await startCollector({
      listen: true,
      writeKeys: [{ key: WRITE_KEY, source: 'web', origins: [shop] }],
    });
  });
  afterAll(async () => c.close());

  const preflight = (origin: string) =>
    send(c, 'http', {
      method: 'OPTIONS',
      path: '/v1/batch',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });

  it('answers a preflight from an allowed origin with the CORS headers', async () => {
    const res = await preflight(shop);
    expect(res.status).toBe(204);
    expect(res.headers).toMatchObject({
      'access-control-allow-origin': shop,
      'access-control-allow-methods': 'POST',
      'access-control-max-age': '86400',
    });
    expect(res.headers['access-control-allow-headers']?.toLowerCase()).toContain('authorization');
  });

  it('gives a preflight from another origin no CORS permission', async () => {
    const res = await preflight('https://evil.example.net');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('accepts posts from the allowed origin and from servers, which send no Origin', async () => {
    for (const headers of [{ origin: shop }, {}]) {
      const event = trackEvent();
      const res = await injectPost(c, { batch: [event] }, '/v1/batch', headers);
      expect(res.statusCode).toBe(200);
      expect(await storedEvent(c, event['messageId'])).toBeDefined();
    }
  });

  it('refuses a post from another origin with 403 forbidden_origin', async () => {
    const event = trackEvent();
    const res = await injectPost(c, { batch: [event] }, '/v1/batch', {
      origin: 'https://evil.example.net',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ code: 'forbidden_origin', message: expect.any(String) });
    expect(await storedEvent(c, event['messageId'])).toBeUndefined();
  });
});

describe('ingest with configured options', () => {
  let c: TestCollector;
  afterEach(async () => c.close());

  it('accepts configured identity types only', async () => {
    c = await startCollector({ identityTypes: ['member_id', 'wechat_openid'] });
    const known = trackEvent({
      anonymousId: undefined,
      identities: { wechat_openid: 'o6_x', member_id: 42 },
    });
    const unknown = trackEvent({ identities: { qq_openid: 'q1' } });
    const unconfigured = trackEvent({ identities: { phone: '+8613800000000' } });
    const res = await injectPost(c, { batch: [known, unknown, unconfigured] });
    expect(res.json()).toMatchObject({
      accepted: 1,
      rejected: [
        { index: 1, errors: [{ code: 'unknown_identity_type', path: 'identities.qq_openid' }] },
        { index: 2, errors: [{ code: 'unknown_identity_type', path: 'identities.phone' }] },
      ],
    });
    expect(await storedEvent(c, known['messageId'])).toMatchObject({
      identities: { wechat_openid: 'o6_x', member_id: '42' },
    });
  });

  it('accepts operations on identify only', async () => {
    c = await startCollector();
    const operations = { increment: { visits: 1 }, setOnce: { first_seen: '2026-01-01' } };
    const identify = { type: 'identify', userId: 'u1', messageId: 'op-identify', operations };
    const track = trackEvent({ operations });
    const res = await injectPost(c, { batch: [identify, track] });
    expect(res.json()).toMatchObject({
      accepted: 1,
      rejected: [{ index: 1, errors: [{ code: 'operations_not_allowed', path: 'operations' }] }],
    });
    expect(await storedEvent(c, 'op-identify')).toMatchObject({ operations });
  });
});
