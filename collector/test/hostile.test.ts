import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  EVENT_ERRORS,
  REQUEST_ERRORS,
  type IngestResponse,
  type RejectedEvent,
} from '@spoor/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_CASES } from './hostile-cases.js';
import { WRITE_KEY, startCollector, storedEvents, trackEvent, type TestCollector } from './kit.js';
import { TRANSPORTS, send, type TestRequest } from './transports.js';

interface Rejection {
  id: number;
  messageId: string | null;
  errors: RejectedEvent['errors'];
  payload: string;
}

/** The newest rejections, newest first, through the read API. */
async function newestRejections(c: TestCollector, limit: number, cursor?: string) {
  const res = await c.app.inject({
    url: `/v1/rejections?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    headers: { authorization: c.bearer },
  });
  expect(res.statusCode).toBe(200);
  return res.json<{ data: Rejection[]; next: string | null }>();
}

/** Rejection ids only grow, so the newest id counts every rejection ever recorded. */
async function lastRejectionId(c: TestCollector): Promise<number> {
  return (await newestRejections(c, 1)).data[0]?.id ?? 0;
}

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype);

function expectCleanPrototype(): void {
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(PROTOTYPE_KEYS);
}

describe.each(TRANSPORTS)('hostile input over %s', (transport) => {
  let c: TestCollector;
  beforeAll(async () => {
    c = await startCollector({ listen: true });
  });
  afterAll(async () => c.close());

  const cases = HOSTILE_CASES.filter((k) => k.only === undefined || k.only === transport);
  it.each(cases)('$name', async (k) => {
    const requests = [k.requests()].flat();
    const target = requests.pop()!;
    for (const prime of requests) expect((await send(c, transport, prime)).status).toBe(200);
    const eventsBefore = (await storedEvents(c)).length;
    const rejectionsBefore = await lastRejectionId(c);

    const res = await send(c, transport, target);
    expect(res.status, res.text.slice(0, 500)).toBe(k.status);
    const body = res.json<Partial<IngestResponse> & { code?: string; message?: string }>();
    if (k.status >= 400) {
      expect(body).toMatchObject({ code: k.code, message: expect.any(String) });
      expect(REQUEST_ERRORS[k.code!].status).toBe(k.status);
    } else {
      expect(body).toMatchObject({ success: true, ...k.answer });
    }

    // Each rejected event is listed with its index, messageId and stable codes.
    const rejected = body.rejected ?? [];
    const expected = Object.entries(k.rejected ?? {}).map(([i, code]) => [Number(i), code]);
    expect(rejected.map((r) => [r.index, r.errors[0]?.code])).toEqual(expected);
    for (const issue of rejected.flatMap((r) => r.errors)) {
      expect(Object.keys(EVENT_ERRORS)).toContain(issue.code);
      expect(issue).toMatchObject({ path: expect.any(String), message: expect.any(String) });
    }

    // Stored data is untouched beyond what the case stores.
    expect((await storedEvents(c)).length - eventsBefore).toBe(k.stored ?? 0);

    // The rejections are recorded, with their reasons, for GET /v1/rejections.
    expect((await lastRejectionId(c)) - rejectionsBefore).toBe(expected.length);
    if (rejected.length > 0) {
      const recent = rejected.slice(-100).reverse();
      const { data } = await newestRejections(c, recent.length);
      expect(data.map((r) => [r.messageId, r.errors])).toEqual(
        recent.map((r) => [r.messageId, r.errors]),
      );
      expect(JSON.stringify(data)).not.toContain(WRITE_KEY);
    }

    // The process is alive and nothing reached a prototype.
    expect((await send(c, transport, { method: 'GET', path: '/healthz' })).status).toBe(200);
    expectCleanPrototype();
  });

  it('stores 20 concurrent copies of one batch exactly once', async () => {
    const events = Array.from({ length: 5 }, () => trackEvent());
    const request: TestRequest = {
      path: '/v1/batch',
      headers: { authorization: c.basic, 'content-type': 'application/json' },
      body: JSON.stringify({ batch: events }),
    };
    const before = (await storedEvents(c)).length;

    const answers = await Promise.all(
      Array.from({ length: 20 }, () => send(c, transport, request)),
    );

    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    const bodies = answers.map((a) => a.json<IngestResponse>());
    expect(bodies.reduce((n, b) => n + b.accepted, 0)).toBe(5);
    expect(bodies.reduce((n, b) => n + b.duplicates, 0)).toBe(95);
    expect(bodies.flatMap((b) => b.conflicts)).toEqual([]);
    const stored = await storedEvents(c);
    expect(stored.length - before).toBe(5);
    const ids = stored.map((s) => s.event['messageId']);
    expect(events.map((e) => ids.filter((id) => id === e['messageId']).length)).toEqual(
      Array(5).fill(1),
    );
  });

  it('never stores the write key, in events or in rejections', async () => {
    const bodyKey = { 'content-type': 'text/plain;charset=UTF-8' };
    const [invalid, good, single] = [
      trackEvent({ anonymousId: undefined }),
      trackEvent(),
      trackEvent(),
    ];
    const sent: [string, unknown, number][] = [
      ['/v1/batch', { writeKey: WRITE_KEY, batch: [invalid, good] }, 200],
      ['/v1/track', { ...single, type: undefined, writeKey: WRITE_KEY }, 200],
      ['/v1/track', { writeKey: WRITE_KEY, anonymousId: 'a1' }, 400],
    ];
    for (const [path, body, status] of sent) {
      const res = await send(c, transport, { path, headers: bodyKey, body: JSON.stringify(body) });
      expect(res.status, res.text).toBe(status);
    }

    const rejections: Rejection[] = [];
    let cursor: string | undefined;
    do {
      const page = await newestRejections(c, 1000, cursor);
      rejections.push(...page.data);
      cursor = page.next ?? undefined;
    } while (cursor);
    expect(rejections.map((r) => r.messageId)).toContain(invalid['messageId']);
    const events = await storedEvents(c);
    expect(events.map((e) => e.event['messageId'])).toEqual(
      expect.arrayContaining([good['messageId'], single['messageId']]),
    );
    expect(JSON.stringify(rejections)).not.toContain(WRITE_KEY);
    expect(JSON.stringify(events)).not.toContain(WRITE_KEY);
    for (const file of ['spoor.db', 'spoor.db-wal']) {
      const path = join(c.dataDir, file);
      if (existsSync(path)) expect(readFileSync(path).indexOf(WRITE_KEY)).toBe(-1);
    }
  });
});
