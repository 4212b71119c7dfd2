import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SqliteOptions } from './sqlite-core.js';
import type { WorkerCall, WorkerReply } from './sqlite-worker.js';
import type { EventStore } from './types.js';

/** The database file's name inside the data directory. */
export const DB_FILE = 'spoor.db';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
type Method = keyof EventStore;

/**
 * Opens the embedded store: SQLite (WAL) owned by a worker thread, reached through
 * asynchronous calls. Calls are answered in order; a commit resolves after SQLite's COMMIT,
 * which with `sync: 'full'` includes the fsync.
 */
export async function openSqliteStore(options: {
  dataDir: string;
  sync: SqliteOptions['sync'];
  maxRejections?: number;
}): Promise<EventStore> {
  mkdirSync(options.dataDir, { recursive: true });
  const data: SqliteOptions = {
    file: join(options.dataDir, DB_FILE),
    sync: options.sync,
    maxRejections: options.maxRejections ?? 10_000,
  };
  const worker = spawn(data);
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let failure: Error | null = null;

  const ready = new Promise<void>((resolve, reject) =>
    pending.set(0, { resolve: () => resolve(), reject }),
  );
  worker.on('message', (reply: WorkerReply) => {
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.ok) waiter?.resolve(reply.value);
    else waiter?.reject(new Error(reply.error));
  });
  const fail = (error: Error) => {
    failure = error;
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`The storage worker exited (code ${code})`)));
  await ready;

  function call<M extends Method>(
    method: M,
    ...args: Parameters<EventStore[M]>
  ): ReturnType<EventStore[M]> {
    if (failure) return Promise.reject(failure) as ReturnType<EventStore[M]>;
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, method, args } satisfies WorkerCall);
    }) as ReturnType<EventStore[M]>;
  }

  let closing: Promise<void> | null = null;
  return {
    commit: (batch) => call('commit', batch),
    listEvents: (query) => call('listEvents', query),
    listRejections: (query) => call('listRejections', query),
    readOutbox: (after, limit) => call('readOutbox', after, limit),
    getCursor: (sink) => call('getCursor', sink),
    setCursor: (sink, seq) => call('setCursor', sink, seq),
    lastSeq: () => call('lastSeq'),
    pruneDedupe: (before) => call('pruneDedupe', before),
    close: () => {
      closing ??= failure
        ? worker.terminate().then(() => undefined)
        : call('close').then(
            () => new Promise<void>((resolve) => worker.once('exit', () => resolve())),
          );
      return closing;
    },
  };
}

function spawn(data: SqliteOptions): Worker {
  // Under the test runner this module is TypeScript source; the worker then needs a loader.
  if (import.meta.url.endsWith('.ts')) {
    const entry = new URL('./sqlite-worker.ts', import.meta.url).href;
    return new Worker(new URL('../../scripts/ts-worker.mjs', import.meta.url), {
      workerData: { ...data, __entry: entry },
    });
  }
  return new Worker(new URL('./sqlite-worker.js', import.meta.url), { workerData: data });
}
