import { once } from 'node:events';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ADMIN_TOKEN,
  BIN,
  WRITE_KEY,
  basicAuth,
  freePort,
  postBatch,
  spawnCollector,
  streamBatches,
  startCollector,
  storedEvents,
  tempDir,
  trackEvent,
  waitReady,
  type ChildCollector,
  type StreamedBatch,
  type TestCollector,
} from './kit.js';

const SENDERS = 8;
const BATCH = 50;

/** Rejects with `what` unless `promise` settles within `ms` (a deadline, not a timing check). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** A raw HTTP/1.1 connection: lets a test hold a request half-sent across a shutdown. */
async function rawConnection(port: number) {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, received: () => received, closed };
}

const messageIds = (events: { event: Record<string, unknown> }[]) =>
  events.map((e) => e.event['messageId'] as string);

describe('durability of the built collector', () => {
  const children: ChildCollector[] = [];
  const collectors: TestCollector[] = [];
  const dirs: string[] = [];

  beforeAll(() => {
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`pnpm build\` first`);
  });

  afterEach(async () => {
    await Promise.allSettled(children.splice(0).map((c) => c.stop('SIGKILL')));
    await Promise.allSettled(collectors.splice(0).map((c) => c.close()));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  async function startChild(dataDir: string, extra: Record<string, string | undefined> = {}) {
    const env = {
      SPOOR_HOST: '127.0.0.1',
      SPOOR_PORT: String(await freePort()),
      SPOOR_DATA_DIR: dataDir,
      // Source `web`, as the in-process kit collector names it: dedupe keys are per source.
      SPOOR_WRITE_KEYS: `${WRITE_KEY}=web`,
      SPOOR_ADMIN_TOKEN: ADMIN_TOKEN,
      SPOOR_LOG_LEVEL: 'warn',
      ...extra,
    };
    const child = spawnCollector(
      Object.fromEntries(
        Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined),
      ),
    );
    children.push(child);
    await waitReady(child);
    return child;
  }

  /** Reopens the data dir in-process and checks what a stream left behind. */
  async function checkAfterRestart(dataDir: string, batches: StreamedBatch[]) {
    const c = await startCollector({ dataDir, listen: true });
    collectors.push(c);
    const acked = batches.filter((b) => b.state === 'acknowledged').flatMap((b) => b.ids);
    const sentIds = new Set(batches.flatMap((b) => b.ids));
    const stored = await storedEvents(c);
    const ids = messageIds(stored);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(acked.length);
    const storedIds = new Set(ids);
    expect(acked.filter((id) => !storedIds.has(id))).toEqual([]);
    expect(ids.filter((id) => !sentIds.has(id))).toEqual([]);
    expect(new Set(stored.map((e) => e.source))).toEqual(new Set(['web']));

    // Retrying what was not acknowledged stores the rest; what was stored counts as duplicate.
    let duplicates = 0;
    for (const b of batches) {
      const res = await postBatch(c.url, WRITE_KEY, b.events);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ rejected: [], conflicts: [] });
      const { accepted, duplicates: dup } = res.body as { accepted: number; duplicates: number };
      expect(accepted + dup).toBe(BATCH);
      if (b.state === 'acknowledged') expect(dup).toBe(BATCH);
      else duplicates += dup;
    }
    expect(duplicates).toBe(ids.length - acked.length);
    const final = messageIds(await storedEvents(c));
    expect(final).toHaveLength(sentIds.size);
    expect(new Set(final)).toEqual(sentIds);
  }

  it('loses no acknowledged event when SIGKILLed mid-stream, and dedupe survives', async () => {
    const dataDir = tempDir('spoor-durability-');
    dirs.push(dataDir);
    const child = await startChild(dataDir);
    let killed = false;
    let inFlightAtKill = 0;
    const batches: StreamedBatch[] = [];
    await streamBatches(child.url, WRITE_KEY, batches, {
      senders: SENDERS,
      batchSize: BATCH,
      signalled: () => killed,
      onAck(acknowledged) {
        if (killed || acknowledged < 2000) return;
        child.child.kill('SIGKILL');
        killed = true;
        inFlightAtKill = batches.filter((b) => b.state === 'in-flight').length;
      },
      done: () => killed,
    });
    // The kill came while other requests were still waiting for their answer.
    expect(inFlightAtKill).toBeGreaterThan(0);
    expect(await child.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const acked = batches.filter((b) => b.state === 'acknowledged');
    expect(acked.length * BATCH).toBeGreaterThanOrEqual(2000);
    for (const b of acked) expect(b.body).toMatchObject({ accepted: BATCH, duplicates: 0 });
    await checkAfterRestart(dataDir, batches);
  });

  it('finishes in-flight commits on SIGTERM, refuses late requests with 503 and exits 0', async () => {
    const dataDir = tempDir('spoor-durability-');
    dirs.push(dataDir);
    const child = await startChild(dataDir);
    let signalled = false;
    const batches: StreamedBatch[] = [];
    await streamBatches(child.url, WRITE_KEY, batches, {
      senders: SENDERS,
      batchSize: BATCH,
      signalled: () => signalled,
      onAck(acknowledged) {
        if (signalled || acknowledged < 1000) return;
        child.child.kill('SIGTERM');
        signalled = true;
      },
      // Each sender keeps going until it has itself seen the shutdown.
      done: (last) => last.afterSignal && last.state === 'failed',
    });
    expect(await within(child.exited, 15_000, 'the collector did not exit after SIGTERM')).toEqual({
      code: 0,
      signal: null,
    });
    const answered = batches.filter((b) => b.status !== undefined);
    expect(answered.filter((b) => b.status !== 200 && b.status !== 503)).toEqual([]);
    for (const b of answered.filter((x) => x.status === 503)) {
      expect(b.body).toEqual({ code: 'shutting_down', message: expect.any(String) as string });
      expect(Number(b.retryAfter)).toBeGreaterThan(0);
    }
    expect(child.stderr()).not.toMatch(/shutdown failed|internal_error/);
    await checkAfterRestart(dataDir, batches);
  });

  // The same drain as SIGTERM (bin.ts calls app.close()), with each request placed exactly.
  it('on close, commits a request in flight, answers a late one 503 and refuses new connections', async () => {
    const dataDir = tempDir('spoor-durability-');
    dirs.push(dataDir);
    const c = await startCollector({ dataDir, listen: true });
    const port = Number(new URL(c.url).port);
    const request = (body: string) =>
      'POST /v1/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
      `Authorization: ${c.basic}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    const inFlight = trackEvent();
    const late = trackEvent();
    const first = request(JSON.stringify({ batch: [inFlight] }));
    const second = request(JSON.stringify({ batch: [late] }));
    const a = await rawConnection(port);
    const b = await rawConnection(port);
    let closing: Promise<void> | undefined;
    try {
      // A: headers and part of the body are in; the request is being read when close begins.
      const arrived = once(c.app.server, 'request');
      a.socket.write(first.slice(0, first.length - 10));
      await arrived;
      // B: one finished request, then the first bytes of the next one, so B is not idle.
      b.socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n${second.slice(0, 20)}`);
      await vi.waitFor(() => expect(b.received()).toContain('{"status":"ok"}'));
      closing = c.app.close();
      await vi.waitFor(() => expect(c.app.server.listening).toBe(false));

      const refused = await fetch(`${c.url}/healthz`).then(
        () => 'answered',
        (error: Error & { cause?: { code?: string } }) => error.cause?.code,
      );
      expect(refused).toBe('ECONNREFUSED');
      b.socket.write(second.slice(20));
      await within(b.closed, 10_000, 'the late request was not answered');
      const [, lateHead = '', lateBody = ''] = b.received().split(/\r\n\r\n/);
      expect(lateHead).toMatch(/^(?:\{"status":"ok"\})?HTTP\/1\.1 503 /);
      expect(lateHead).toMatch(/\r\nretry-after: \d+\r\n/i);
      expect(JSON.parse(lateBody)).toMatchObject({ code: 'shutting_down' });

      a.socket.write(first.slice(first.length - 10));
      await within(a.closed, 10_000, 'the request in flight was not answered');
      expect(a.received()).toMatch(/^HTTP\/1\.1 200 /);
      expect(a.received()).toMatch(/\r\nconnection: close\r\n/i);
      expect(a.received()).toContain('"accepted":1');
      await within(closing, 10_000, 'close() did not finish');
    } finally {
      a.socket.destroy();
      b.socket.destroy();
      await closing?.catch(() => undefined);
    }
    const reopened = await startCollector({ dataDir });
    collectors.push(reopened);
    expect(messageIds(await storedEvents(reopened))).toEqual([inFlight['messageId']]);
  });

  it.each<{ variable: string; env: Record<string, string> }>([
    { variable: 'SPOOR_PORT', env: { SPOOR_PORT: 'abc' } },
    { variable: 'SPOOR_WRITE_KEYS', env: { SPOOR_WRITE_KEYS: 'key1=web@shop.example.com' } },
    { variable: 'SPOOR_ADMIN_TOKEN', env: { SPOOR_ADMIN_TOKEN: 'too-short' } },
    { variable: 'SPOOR_SQLITE_SYNC', env: { SPOOR_SQLITE_SYNC: 'sometimes' } },
    { variable: 'SPOOR_PROT', env: { SPOOR_PROT: '8080' } },
  ])(
    'refuses to start with a bad $variable, naming it once on stderr',
    async ({ variable, env }) => {
      const root = tempDir('spoor-durability-');
      dirs.push(root);
      const dataDir = join(root, 'data');
      const child = spawnCollector({
        SPOOR_HOST: '127.0.0.1',
        SPOOR_PORT: String(await freePort()),
        SPOOR_DATA_DIR: dataDir,
        SPOOR_WRITE_KEYS: `${WRITE_KEY}=web`,
        SPOOR_ADMIN_TOKEN: ADMIN_TOKEN,
        ...env,
      });
      children.push(child);
      const { code } = await within(child.exited, 10_000, 'the CLI did not exit');
      expect(code).not.toBe(0);
      expect(code).not.toBeNull();
      const stderr = child.stderr();
      expect(stderr).toMatch(/^Invalid configuration:/);
      expect(stderr.split(variable)).toHaveLength(2);
      expect(stderr).not.toMatch(/^\s+at /m);
      expect(child.stdout()).toBe('');
      // Nothing was started, so nothing was written.
      expect(existsSync(dataDir)).toBe(false);
    },
  );

  it('creates development credentials once, prints them with the URLs, and reuses them', async () => {
    const root = tempDir('spoor-durability-');
    dirs.push(root);
    const dataDir = join(root, 'data');
    const start = async () => {
      const child = await startChild(dataDir, {
        SPOOR_WRITE_KEYS: undefined,
        SPOOR_ADMIN_TOKEN: undefined,
      });
      await vi.waitFor(() => expect(child.stdout()).toContain('admin token:'), { timeout: 5000 });
      const out = child.stdout();
      expect(out).toContain(`${child.url}/v1/batch`);
      expect(out).toContain(`${child.url}/v1/events`);
      const writeKey = /write key: (\S+)\)/.exec(out)?.[1] ?? '';
      const adminToken = /admin token: (\S+)\)/.exec(out)?.[1] ?? '';
      return { child, writeKey, adminToken };
    };
    const first = await start();
    const file = join(dataDir, 'dev-credentials.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      writeKey: first.writeKey,
      adminToken: first.adminToken,
    });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.adminToken.length).toBeGreaterThanOrEqual(16);

    const event = trackEvent();
    const sent = await postBatch(first.child.url, first.writeKey, [event]);
    expect(sent).toMatchObject({ status: 200, body: { accepted: 1 } });
    expect((await postBatch(first.child.url, 'not-the-key', [trackEvent()])).status).toBe(401);
    const listed = async (c: { child: ChildCollector; adminToken: string }) => {
      const res = await fetch(`${c.child.url}/v1/events`, {
        headers: { authorization: `Bearer ${c.adminToken}` },
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { data: { source: string; event: Record<string, unknown> }[] };
    };
    expect((await listed(first)).data).toMatchObject([
      { source: 'dev', event: { messageId: event['messageId'] } },
    ]);
    first.child.child.kill('SIGTERM');
    expect(await first.child.exited).toEqual({ code: 0, signal: null });

    const second = await start();
    expect({ writeKey: second.writeKey, adminToken: second.adminToken }).toEqual({
      writeKey: first.writeKey,
      adminToken: first.adminToken,
    });
    expect((await listed(second)).data).toHaveLength(1);
    const again = await fetch(`${second.child.url}/v1/track`, {
      method: 'POST',
      headers: { authorization: basicAuth(second.writeKey), 'content-type': 'application/json' },
      body: JSON.stringify(trackEvent()),
    });
    expect(again.status).toBe(200);
  });
});
