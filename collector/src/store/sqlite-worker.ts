import { parentPort, workerData } from 'node:worker_threads';
import { workerInput } from '../workers/spawn.js';
import { unpackRows } from './row-codec.js';
import { SqliteCore, type SqliteOptions, type SyncStore } from './sqlite-core.js';
import type { CommitBatch } from './types.js';

/** A call from the host: run `method` of {@link SqliteCore} with `args`. */
export interface WorkerCall {
  id: number;
  method: keyof SyncStore;
  args: unknown[];
}

/** The answer to a {@link WorkerCall}. */
export type WorkerReply =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

const port = parentPort;
if (!port) throw new Error('sqlite-worker must run in a worker thread');

let core: SqliteCore;
try {
  core = new SqliteCore(workerInput<SqliteOptions>(workerData));
  port.postMessage({ id: 0, ok: true, value: 'ready' } satisfies WorkerReply);
} catch (error) {
  port.postMessage({ id: 0, ok: false, error: String(error) } satisfies WorkerReply);
  process.exit(1);
}

port.on('message', ({ id, method, args }: WorkerCall) => {
  let reply: WorkerReply;
  try {
    if (method === 'commit') {
      const { rows, rejections } = args[0] as CommitBatch;
      args = [{ rows: unpackRows(rows), rejections }];
    }
    const fn = core[method].bind(core) as (...a: unknown[]) => unknown;
    const value = fn(...args);
    reply = { id, ok: true, value };
  } catch (error) {
    reply = { id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
  if (method === 'close') port.close();
});
