import type { Worker } from 'node:worker_threads';
import { DEFAULT_LIMITS } from '@spoor/schemas';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawnWorker } from '../workers/spawn.js';
import { createIngestPool, IngestUnavailableError, type IngestPool } from './ingest-pool.js';
import type { IngestWorkerData } from './ingest-worker.js';

const data: IngestWorkerData = {
  limits: DEFAULT_LIMITS,
  identityTypes: [],
  identity: null,
  purchaseEvents: [],
  maxFutureMs: 86_400_000,
  maxPastMs: 86_400_000 * 3650,
  writeKeys: [{ key: 'k', source: 'web', origins: null }],
};
const input = () => ({
  body: new Uint8Array(
    Buffer.from(JSON.stringify({ batch: [{ type: 'track', event: 'X', anonymousId: 'a' }] })),
  ),
  authorization: `Basic ${Buffer.from('k:').toString('base64')}`,
  ip: '127.0.0.1',
  receivedAt: Date.now(),
});

describe('ingest pool', () => {
  let pool: IngestPool | undefined;
  afterEach(async () => pool?.close());

  it('takes a dead worker out of rotation at once and replaces it', async () => {
    const workers: Worker[] = [];
    const spawn = (d: IngestWorkerData) => {
      const worker = spawnWorker(new URL('./ingest-worker', import.meta.url), d);
      workers.push(worker);
      return worker;
    };
    pool = await createIngestPool(2, data, pino({ level: 'silent' }), spawn);
    expect((await pool.prepare(input())).ok).toBe(true);

    const dead = workers[0]!;
    const exited = new Promise((resolve) => dead.once('exit', resolve));
    await dead.terminate();
    await exited;
    // Every request settles: none is posted to the dead worker and left waiting.
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => pool!.prepare(input())),
    );
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(IngestUnavailableError);
      else expect(r.value.ok).toBe(true);
    }
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThan(0);
    await vi.waitFor(() => expect(pool!.liveWorkers).toBe(2), { timeout: 10_000, interval: 50 });
    expect(workers).toHaveLength(3);
    expect(pool.pendingBytes).toBe(0);
  });
});
