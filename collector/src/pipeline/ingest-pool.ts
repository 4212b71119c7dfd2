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
  /** Workers currently taking requests. */
  readonly liveWorkers: number;
  close(): Promise<void>;
}

/** Thrown for requests that a dying worker held or that found no live worker. */
export class IngestUnavailableError extends Error {}

const RESTART_DELAY_MS = 100;
const RESTART_DELAY_MAX_MS = 10_000;

/**
 * Starts `threads` ingest workers. Each request goes to the live worker with the fewest requests
 * outstanding; its body is transferred, not copied. A worker that dies is taken out of rotation
 * at once, fails only the requests it held, and is replaced (with backoff if replacements fail).
 */
export async function createIngestPool(
  threads: number,
  data: IngestWorkerData,
  log: FastifyBaseLogger,
  spawn: (data: IngestWorkerData) => Worker = (d) =>
    spawnWorker(new URL('./ingest-worker', import.meta.url), d),
): Promise<IngestPool> {
  let nextId = 1;
  let pendingBytes = 0;
  let closing = false;
  const slots: Slot[] = [];

  const start = (): Promise<Slot> =>
    new Promise((resolve, reject) => {
      const slot: Slot = { worker: spawn(data), pending: new Map() };
      slot.worker.on('message', (reply: IngestReply) => {
        if ('ready' in reply) return resolve(slot);
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
      slot.worker.once('exit', (code) => {
        const index = slots.indexOf(slot);
        if (index !== -1) slots.splice(index, 1);
        for (const waiter of slot.pending.values()) {
          pendingBytes -= waiter.bytes;
          waiter.reject(new IngestUnavailableError(`ingest worker exited (code ${code})`));
        }
        slot.pending.clear();
        if (!closing && index !== -1) replace(RESTART_DELAY_MS);
      });
    });

  const replace = (delay: number) => {
    setTimeout(() => {
      if (closing) return;
      start().then(
        (fresh) => (closing ? void fresh.worker.terminate() : slots.push(fresh)),
        (error: unknown) => {
          log.error({ err: error, retryInMs: delay * 2 }, 'could not restart an ingest worker');
          replace(Math.min(delay * 2, RESTART_DELAY_MAX_MS));
        },
      );
    }, delay).unref();
  };

  slots.push(...(await Promise.all(Array.from({ length: threads }, start))));
  return {
    get pendingBytes() {
      return pendingBytes;
    },
    get liveWorkers() {
      return slots.length;
    },
    prepare(input) {
      if (slots.length === 0)
        return Promise.reject(new IngestUnavailableError('no ingest worker is running'));
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
      await Promise.all(slots.splice(0).map((s) => s.worker.terminate()));
    },
  };
}
