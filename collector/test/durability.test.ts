import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
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
  startCollector,
  storedEvents,
  tempDir,
  trackEvent,
  waitReady,
  type ChildCollector,
  type TestCollector,
} from './kit.js';

const SENDERS = 8;
const BATCH = 50;

/** One batch sent to a child collector, and what became of it. */
interface Sent {
  ids: string[];
  events: Record<string, unknown>[];
  state: 'in-flight' | 'acknowledged' | 'failed';
  status?: number;
  body?: Record<string, unknown>;
  retryAfter?: string | null;
  /** Sent after the test signalled the child. */
  afterSignal: boolean;
}

/**
 * Streams batches of unique events from concurrent senders until `stop` says so. `onAck` runs
 * synchronously in the continuation of each 200, so a test can signal the child before any
 * other request settles.
 */
async function stream(
  url: string,
  batches: Sent[],
  hooks: {
    onAck: (acknowledged: number) => void;
    done: (last: Sent) => boolean;
    signalled(): boolean;
  },
): Promise<void> {
  let acknowledged = 0;
  const sender = async () => {
    for (;;) {
      const events = Array.from({ length: BATCH }, () => trackEvent());
      const ids = events.map((e) => e['messageId'] as string);
      const sent: Sent = { ids, events, state: 'in-flight', afterSignal: hooks.signalled() };
      batches.push(sent);
      try {
        const res = await postBatch(url, WRITE_KEY, events);
        Object.assign(sent, { status: res.status, body: res.body });
        sent.retryAfter = res.headers.get('retry-after');
        sent.state = res.status === 200 ? 'acknowledged' : 'failed';
        if (res.status === 200) hooks.onAck((acknowledged += BATCH));
      } catch {
        sent.state = 'failed';
      }
      if (hooks.done(sent)) return;
    }
  };
  await Promise.all(Array.from({ length: SENDERS }, sender));
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
  async function checkAfterRestart(dataDir: string, batches: Sent[]) {
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
    const dataDir = tempDir();
    dirs.push(dataDir);
    const child = await startChild(dataDir);
    let killed = false;
    let inFlightAtKill = 0;
    const batches: Sent[] = [];
    await stream(child.url, batches, {
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
    expect(batches.some((b) => b.state === 'failed')).toBe(true);
    await checkAfterRestart(dataDir, batches);
  });

  it('finishes in-flight commits on SIGTERM, refuses late requests with 503 and exits 0', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const child = await startChild(dataDir);
    let signalled = false;
    const batches: Sent[] = [];
    await stream(child.url, batches, {
      signalled: () => signalled,
      onAck(acknowledged) {
        if (signalled || acknowledged < 1000) return;
        child.child.kill('SIGTERM');
        signalled = true;
      },
      // Each sender keeps going until it has itself seen the shutdown.
      done: (last) => last.afterSignal && last.state === 'failed',
    });
    expect(await child.exited).toEqual({ code: 0, signal: null });
    const answered = batches.filter((b) => b.status !== undefined);
    expect(answered.filter((b) => b.status !== 200 && b.status !== 503)).toEqual([]);
    for (const b of answered.filter((x) => x.status === 503)) {
      expect(b.body).toEqual({ code: 'shutting_down', message: expect.any(String) as string });
      expect(Number(b.retryAfter)).toBeGreaterThan(0);
    }
    expect(batches.filter((b) => b.afterSignal).length).toBeGreaterThanOrEqual(SENDERS);
    expect(child.stderr()).not.toMatch(/shutdown failed|internal_error/);
    await checkAfterRestart(dataDir, batches);
  });

  it.each([
    { variable: 'SPOOR_PORT', env: { SPOOR_PORT: 'abc' } },
    { variable: 'SPOOR_WRITE_KEYS', env: { SPOOR_WRITE_KEYS: 'key1=web@shop.example.com' } },
    { variable: 'SPOOR_ADMIN_TOKEN', env: { SPOOR_ADMIN_TOKEN: 'too-short' } },
    { variable: 'SPOOR_SQLITE_SYNC', env: { SPOOR_SQLITE_SYNC: 'sometimes' } },
    { variable: 'SPOOR_PROT', env: { SPOOR_PROT: '8080' } },
  ])(
    'refuses to start with a bad $variable, naming it once on stderr',
    async ({ variable, env }) => {
      const root = tempDir();
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
      const { code } = await child.exited;
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
    const root = tempDir();
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
    expect(readdirSync(dataDir)).toContain('dev-credentials.json');
    expect((await listed(second)).data).toHaveLength(1);
    const again = await fetch(`${second.child.url}/v1/track`, {
      method: 'POST',
      headers: { authorization: basicAuth(second.writeKey), 'content-type': 'application/json' },
      body: JSON.stringify(trackEvent()),
    });
    expect(again.status).toBe(200);
  });
});
