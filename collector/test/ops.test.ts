import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DB_FILE, buildCollector } from '../src/index.js';
import { ADMIN_TOKEN, WRITE_KEY, startCollector, trackEvent, type TestCollector } from './kit.js';

const JSON_TYPE = { 'content-type': 'application/json' };

function postBatch(app: FastifyInstance, authorization: string, batch: unknown[]) {
  return app.inject({
    method: 'POST',
    url: '/v1/batch',
    headers: { authorization, ...JSON_TYPE },
    payload: JSON.stringify({ batch }),
  });
}

interface Page {
  data: { seq: number; source: string; event: Record<string, unknown> }[];
  next: string | null;
}

describe('read API', () => {
  const serverKey = 'server_key';
  let c: TestCollector;
  beforeAll(async () => {
    c = await startCollector({
      writeKeys: [
        { key: WRITE_KEY, source: 'web', origins: null },
        { key: serverKey, source: 'server', origins: null },
      ],
    });
    const base = { anonymousId: 'a1', context: {} };
    const web = [
      trackEvent({ ...base, event: 'Added' }),
      trackEvent({ ...base, event: 'Added' }),
      { ...base, type: 'page', name: 'Home', messageId: 'page-1' },
      trackEvent({ ...base, event: 'Paid' }),
      { ...base, type: 'identify', userId: 'u1', messageId: 'identify-1' },
    ];
    expect((await postBatch(c.app, c.basic, web)).statusCode).toBe(200);
    const server = `Basic ${Buffer.from(`${serverKey}:`).toString('base64')}`;
    expect((await postBatch(c.app, server, [trackEvent({ event: 'Added' })])).statusCode).toBe(200);
  });
  afterAll(async () => c.close());

  const get = (url: string, authorization = c.bearer) =>
    c.app.inject({ url, headers: { authorization } });

  it('pages through events newest first with cursor and next', async () => {
    const seen: number[] = [];
    let url = '/v1/events?limit=4';
    const pages: number[] = [];
    for (;;) {
      const page = (await get(url)).json<Page>();
      pages.push(page.data.length);
      seen.push(...page.data.map((e) => e.seq));
      if (page.next === null) break;
      url = `/v1/events?limit=4&cursor=${page.next}`;
    }
    expect(pages).toEqual([4, 2]);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(new Set(seen).size).toBe(6);
  });

  it.each([
    ['type=page', 1],
    ['type=track', 4],
    ['event=Added', 3],
    ['type=track&event=Added&source=web', 2],
    ['source=server', 1],
    ['source=nowhere', 0],
  ])('filters by %s', async (filter, count) => {
    const res = await get(`/v1/events?${filter}`);
    expect(res.statusCode).toBe(200);
    const { data } = res.json<Page>();
    expect(data).toHaveLength(count);
    const params = new URLSearchParams(filter);
    for (const { source, event } of data) {
      if (params.has('type')) expect(event['type']).toBe(params.get('type'));
      if (params.has('event')) expect(event['event']).toBe(params.get('event'));
      if (params.has('source')) expect(source).toBe(params.get('source'));
    }
  });

  it.each(['/v1/events', '/v1/rejections'])('refuses %s without the admin token', async (path) => {
    for (const authorization of ['', c.basic, 'Bearer wrong-token-0123456789']) {
      const res = await get(path, authorization);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ code: 'admin_unauthorized', message: expect.any(String) });
    }
  });

  it.each([
    'limit=0',
    'limit=1001',
    'limit=ten',
    'cursor=abc',
    'cursor=0',
    'type=purchase',
    'event=',
    'unknown=1',
  ])('answers 400 invalid_query for %s', async (query) => {
    const res = await get(`/v1/events?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'invalid_query', message: expect.any(String) });
  });
});

describe('operations endpoints', () => {
  let c: TestCollector;
  beforeAll(async () => {
    c = await startCollector();
  });
  afterAll(async () => c.close());

  it('counts events in /metrics, behind the admin token', async () => {
    const [a, b] = [trackEvent(), trackEvent()];
    await postBatch(c.app, c.basic, [a, b, trackEvent({ anonymousId: undefined })]);
    await postBatch(c.app, c.basic, [a]);
    await postBatch(c.app, c.basic, [{ ...b, event: 'Changed' }]);

    const refused = await c.app.inject({ url: '/metrics' });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ code: 'admin_unauthorized' });

    const res = await c.app.inject({ url: '/metrics', headers: { authorization: c.bearer } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const metric = (pattern: string) =>
      Number(new RegExp(`^${pattern} (\\S+)$`, 'm').exec(res.body)?.[1]);
    expect(metric('spoor_events_received_total\\{source="web"\\}')).toBe(5);
    expect(metric('spoor_events_accepted_total\\{source="web"\\}')).toBe(2);
    expect(metric('spoor_events_rejected_total\\{source="web",code="missing_identity"\\}')).toBe(1);
    expect(metric('spoor_events_duplicate_total\\{source="web"\\}')).toBe(2);
    expect(metric('spoor_events_conflict_total\\{source="web"\\}')).toBe(1);
    expect(metric('spoor_request_duration_seconds_count\\{route="/v1/batch",status="200"\\}')).toBe(
      3,
    );
    expect(res.body).toMatch(/^spoor_request_duration_seconds_bucket\{le="0.05",/m);
    // The requests went one after another: three preparations, three commits.
    expect(metric('spoor_ingest_prepare_seconds_count')).toBe(3);
    expect(metric('spoor_commit_duration_seconds_count')).toBe(3);
  });

  it.each([
    ['/healthz', { status: 'ok' }],
    ['/readyz', { status: 'ready' }],
  ])('answers %s with 200', async (url, body) => {
    const res = await c.app.inject({ url });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(body);
  });

  it.each([
    ['GET', '/v2/events'],
    ['GET', '/v1/batch'],
    ['POST', '/v1/nope'],
  ])('answers %s %s with 404 not_found', async (method, url) => {
    const res = await c.app.inject({
      method: method as 'GET' | 'POST',
      url,
      headers: { authorization: c.basic, ...JSON_TYPE },
      ...(method === 'POST' && { payload: '{}' }),
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ code: 'not_found', message: expect.any(String) });
  });
});

describe('load shedding', () => {
  let app: FastifyInstance | undefined;
  let lock: Database.Database | undefined;
  let dataDir = '';
  afterEach(async () => {
    if (lock?.inTransaction) lock.exec('ROLLBACK');
    lock?.close();
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 overloaded with Retry-After while maxPendingEvents wait for a commit', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'spoor-overload-'));
    app = buildCollector({
      writeKeys: [{ key: WRITE_KEY, source: 'web', origins: null }],
      adminToken: ADMIN_TOKEN,
      dataDir,
      logger: false,
      maxPendingEvents: 2,
    });
    await app.ready();
    const basic = `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`;

    // Another connection holds SQLite's write lock, so the commit cannot finish: the first
    // request's 2 events stay pending (for up to the store's 5 s busy timeout).
    lock = new Database(join(dataDir, DB_FILE));
    lock.exec('BEGIN IMMEDIATE');
    const first = postBatch(app, basic, [trackEvent(), trackEvent()]);
    // Wait until its rows are queued for the stuck commit, as the collector itself reports.
    const pending = async () => {
      const res = await app!.inject({
        url: '/metrics',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      return /^spoor_pending_events (\d+)$/m.exec(res.body)?.[1];
    };
    await vi.waitFor(async () => expect(await pending()).toBe('2'), {
      timeout: 4000,
      interval: 20,
    });

    const shed = await postBatch(app, basic, [trackEvent()]);
    expect(shed.statusCode).toBe(503);
    expect(shed.headers['retry-after']).toBe('1');
    expect(shed.json()).toEqual({ code: 'overloaded', message: expect.any(String) });

    lock.exec('ROLLBACK');
    expect((await first).json()).toMatchObject({ accepted: 2 });
    // The pending count went back down: the next request is taken again.
    expect((await postBatch(app, basic, [trackEvent()])).json()).toMatchObject({ accepted: 1 });
  });
});
