import { Worker } from 'node:worker_threads';

/**
 * Starts the worker whose entry module is `entry` (a URL relative to the calling module, without
 * extension). Under the test runner the collector runs from TypeScript sources; the worker then
 * goes through a bootstrap that registers a TypeScript loader first.
 */
export function spawnWorker(entry: URL, workerData: unknown): Worker {
  if (import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('../../scripts/ts-worker.mjs', import.meta.url), {
      workerData: { data: workerData, entry: `${entry.href}.ts` },
    });
  }
  return new Worker(new URL(`${entry.href}.js`), { workerData: { data: workerData } });
}

/** Inside a worker started by {@link spawnWorker}: the data it was given. */
export function workerInput<T>(workerData: unknown): T {
  return (workerData as { data: T }).data;
}
