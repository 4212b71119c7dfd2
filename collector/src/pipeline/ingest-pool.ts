import type { Worker } from 'node:worker_threads';
import type { FastifyBaseLogger } from 'fastify';
import { spawnWorker } from '../workers/spawn.js';
import type { IngestInput, IngestPrepared } from './ingest-request.js';
import type { IngestCall, IngestReply, IngestWorkerData } from './ingest-worker.js';

interface Slot {
  worker: Worker;
  pending: Map<
    number,
    { resolve: (r: IngestPrepared) => void; reject: (e: Error) => void; bytes: number }
  >;
}

/** Ingest requests prepared on worker threads; see ingest-request.ts. */
export interface IngestPool {
  prepare(input: IngestInput): Promise<IngestPrepared>;
  /** Bytes of request bodies handed to workers and not yet prepared. */
  readonly pendingBytes: number;
  close(): Promise<void>;
}

/**
 * Starts `threads` ingest workers. Each request goes to the worker with the fewest requests
 * outstanding; its body is transferred, not copied. A worker that dies fails only its own
 * outstanding requests and is replaced.
 */
export async function createIngestPool(
  threads: number,
  data: IngestWorkerData,
  log: FastifyBaseLogger,
): Promise<IngestPool> {
  let nextId = 1;
  let pendingBytes = 0;
  let closing = false;

  const start = (): Promise<Slot> =>
    new Promise((resolve, reject) => {
      const slot: Slot = {
        worker: spawnWorker(new URL('./ingest-worker', import.meta.url), data),
        pending: new Map(),
      };
      slot.worker.on('message', (reply: IngestReply) => {
        if (reply.id === 0) return resolve(slot);
        const waiter = slot.pending.get(reply.id);
        if (!waiter) return;
        slot.pending.delete(reply.id);
        pendingBytes -= waiter.bytes;
        if ('result' in reply) waiter.resolve(reply.result);
        else waiter.reject(new Error(`ingest worker failed: ${reply.error}`));
      });
      slot.worker.on('error', (error) => {
        log.error({ err: error }, 'ingest worker crashed');
        reject(error);
      });
      slot.worker.on('exit', (code) => {
        for (const waiter of slot.pending.values()) {
          pendingBytes -= waiter.bytes;
          waiter.reject(new Error(`ingest worker exited (code ${code})`));
        }
        slot.pending.clear();
        if (closing) return;
        const index = slots.indexOf(slot);
        start().then(
          (fresh) => (slots[index] = fresh),
          (error: unknown) => log.error({ err: error }, 'could not restart an ingest worker'),
        );
      });
    });

  const slots: Slot[] = await Promise.all(Array.from({ length: threads }, start));
  return {
    get pendingBytes() {
      return pendingBytes;
    },
    prepare(input) {
      const slot = slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      const bytes = input.body.byteLength;
      pendingBytes += bytes;
      return new Promise((resolve, reject) => {
        slot.pending.set(id, { resolve, reject, bytes });
        slot.worker.postMessage({ id, input } satisfies IngestCall, [input.body.buffer]);
      });
    },
    async close() {
      closing = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
