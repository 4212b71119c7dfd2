import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildCollector, type CollectorOptions } from '../src/index.js';

/** A collector under test with a fresh SQLite file in its own temporary directory. */
export interface TestCollector {
  app: FastifyInstance;
  /** Base URL when started with `listen: true`, else ''. */
  url: string;
  dataDir: string;
  writeKey: string;
  adminToken: string;
  /** `Authorization` header value for the write key (HTTP Basic, empty password). */
  basic: string;
  /** `Authorization` header value for the admin API. */
  bearer: string;
  close(): Promise<void>;
}

export const WRITE_KEY = 'test_write_key';
export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** Builds (and with `listen`, starts on 127.0.0.1:0) a collector on a throwaway data directory. */
export async function startCollector(
  overrides: Partial<CollectorOptions> & { listen?: boolean } = {},
): Promise<TestCollector> {
  const { listen, ...options } = overrides;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'spoor-test-'));
  const app = buildCollector({
    writeKeys: [{ key: WRITE_KEY, source: 'web', origins: null }],
    adminToken: ADMIN_TOKEN,
    logger: false,
    ...options,
    dataDir,
  });
  await app.ready();
  let url = '';
  if (listen) url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    url,
    dataDir,
    writeKey: WRITE_KEY,
    adminToken: ADMIN_TOKEN,
    basic: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`,
    bearer: `Bearer ${ADMIN_TOKEN}`,
    async close() {
      await app.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
/** A valid track event with a unique messageId, shaped like what a browser sends. */
export function trackEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter++;
  return {
    type: 'track',
    event: 'Product Viewed',
    messageId: `msg-${process.pid}-${counter}-${Math.random().toString(36).slice(2)}`,
    anonymousId: 'anon-1',
    timestamp: new Date().toISOString(),
    properties: { product_id: `sku-${counter}`, price: 28.5, currency: 'CNY' },
    context: {
      library: { name: '@spoor/web', version: '0.1.0' },
      page: { url: 'https://shop.example.com/p/1', path: '/p/1', title: 'Oat latte' },
      userAgent:
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
      locale: 'zh-CN',
    },
    ...overrides,
  };
}

/** Reads every stored event through the admin API, oldest first. */
export async function storedEvents(
  c: TestCollector,
): Promise<{ seq: number; source: string; event: Record<string, unknown> }[]> {
  const all: { seq: number; source: string; event: Record<string, unknown> }[] = [];
  let cursor: string | null = null;
  do {
    const url = `/v1/events?limit=1000${cursor ? `&cursor=${cursor}` : ''}`;
    const res: LightMyRequestResponse = await c.app.inject({
      url,
      headers: { authorization: c.bearer },
    });
    const body = res.json<{ data: typeof all; next: string | null }>();
    all.push(...body.data);
    cursor = body.next;
  } while (cursor);
  return all.reverse();
}

/** The built CLI; `pnpm test` builds it before running vitest. */
export const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** A port that was free a moment ago (the CLI does not print the port it bound to 0). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A collector started from the built CLI as a child process. */
export interface ChildCollector {
  child: ChildProcess;
  url: string;
  /** Everything the child wrote to stdout / stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Settles when the child has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills the child if it still runs and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `node collector/dist/bin.js` with only the given `SPOOR_*` variables (none are
 * inherited from the test runner's environment). `url` assumes `SPOOR_PORT` is set.
 */
export function spawnCollector(env: Record<string, string>): ChildCollector {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('SPOOR_')),
  );
  const child = spawn(process.execPath, [BIN], {
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const host = env['SPOOR_HOST'] ?? '127.0.0.1';
  return {
    child,
    url: `http://${host}:${env['SPOOR_PORT'] ?? '8080'}`,
    stdout: () => out,
    stderr: () => err,
    exited,
    async stop(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Polls `GET /readyz` until the collector answers 200 or the child exits. */
export async function waitReady(c: ChildCollector, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (c.child.exitCode !== null || c.child.signalCode !== null) {
      throw new Error(`the collector exited before it was ready:\n${c.stderr()}${c.stdout()}`);
    }
    try {
      const res = await fetch(`${c.url}/readyz`);
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the collector was not ready within ${timeoutMs} ms:\n${c.stderr()}`);
}

/** `Authorization` header value for a write key (HTTP Basic, empty password). */
export function basicAuth(writeKey: string): string {
  return `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
}

/** POSTs a batch over real HTTP; resolves with the status and parsed body (network errors reject). */
export async function postBatch(
  url: string,
  writeKey: string,
  batch: Record<string, unknown>[],
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/v1/batch`, {
    method: 'POST',
    headers: { authorization: basicAuth(writeKey), 'content-type': 'application/json' },
    body: JSON.stringify({ batch }),
  });
  const text = await res.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { unparsed: text };
  }
  return { status: res.status, headers: res.headers, body };
}

/** A temporary directory; remove it with `rmSync(dir, { recursive: true, force: true })`. */
export function tempDir(prefix = 'spoor-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** One batch streamed by {@link streamBatches}, and what became of it. */
export interface StreamedBatch {
  ids: string[];
  events: Record<string, unknown>[];
  state: 'in-flight' | 'acknowledged' | 'failed';
  status?: number;
  body?: Record<string, unknown>;
  retryAfter?: string | null;
  /** Sent after `signalled()` first returned true. */
  afterSignal: boolean;
}

/**
 * Streams batches of `batchSize` unique events from `senders` concurrent senders, appending each
 * to `batches` as it is sent. `onAck` runs synchronously in the continuation of every 200, so a
 * test can signal a child collector while the other senders' requests are still in flight. A
 * sender stops once `done` returns true for its last batch.
 */
export async function streamBatches(
  url: string,
  writeKey: string,
  batches: StreamedBatch[],
  options: {
    senders: number;
    batchSize: number;
    onAck: (acknowledgedEvents: number) => void;
    done: (last: StreamedBatch) => boolean;
    signalled: () => boolean;
  },
): Promise<void> {
  let acknowledged = 0;
  const sender = async () => {
    for (;;) {
      const events = Array.from({ length: options.batchSize }, () => trackEvent());
      const ids = events.map((e) => e['messageId'] as string);
      const sent: StreamedBatch = {
        ids,
        events,
        state: 'in-flight',
        afterSignal: options.signalled(),
      };
      batches.push(sent);
      try {
        const res = await postBatch(url, writeKey, events);
        sent.status = res.status;
        sent.body = res.body;
        sent.retryAfter = res.headers.get('retry-after');
        sent.state = res.status === 200 ? 'acknowledged' : 'failed';
        if (res.status === 200) options.onAck((acknowledged += options.batchSize));
      } catch {
        sent.state = 'failed';
      }
      if (options.done(sent)) return;
    }
  };
  await Promise.all(Array.from({ length: options.senders }, sender));
}

/** POSTs `body` as JSON through inject, authenticated with the collector's write key. */
export function injectPost(
  c: TestCollector,
  body: unknown,
  path = '/v1/batch',
  headers: Record<string, string | undefined> = {},
) {
  return c.app.inject({
    method: 'POST',
    url: path,
    headers: { authorization: c.basic, 'content-type': 'application/json', ...headers },
    payload: JSON.stringify(body),
  });
}

/** The stored event with this messageId, or undefined. */
export async function storedEvent(
  c: TestCollector,
  messageId: unknown,
): Promise<Record<string, unknown> | undefined> {
  return (await storedEvents(c)).find((s) => s.event['messageId'] === messageId)?.event;
}

/**
 * Polls `check` every `everyMs` until it returns something other than `undefined`/`false`, and
 * returns that; throws, naming `what`, after `timeoutMs`.
 */
export async function until<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
  everyMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A fact tag the engine tests share: the sum of `revenue` of `Order Completed` in 90 days. */
export const SPEND_90D = {
  name: 'Spend in 90 days',
  category: '消费/金额',
  subject: 'behaviour',
  kind: 'fact',
  event: 'Order Completed',
  aggregate: 'sum',
  property: 'revenue',
  window: { last: 90, unit: 'days' },
};

/**
 * {@link until} with 20 s to spare, for waits on the engine and destinations: CI runs these
 * beside the rest of the suite on two cores.
 */
export const untilSettled = <T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
): Promise<T> => until(what, check, 20_000);
