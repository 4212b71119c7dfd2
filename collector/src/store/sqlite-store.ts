import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnWorker } from '../workers/spawn.js';
import type { SqliteOptions } from './sqlite-core.js';
import { transferList } from './row-codec.js';
import type { WorkerCall, WorkerReply } from './sqlite-worker.js';
import type { CommitResult, EventStore } from './types.js';

/** The database file's name inside the data directory. */
export const DB_FILE = 'spoor.db';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
type Method = Exclude<keyof EventStore, 'broken'>;

/**
 * Opens the embedded store: SQLite (WAL) owned by a worker thread, reached through
 * asynchronous calls. Calls are answered in order; a commit resolves after SQLite's COMMIT,
 * which with `sync: 'full'` includes the fsync.
 */
export async function openSqliteStore(options: {
  dataDir: string;
  sync: SqliteOptions['sync'];
  maxRejections?: number;
  identity?: SqliteOptions['identity'];
}): Promise<EventStore> {
  mkdirSync(options.dataDir, { recursive: true });
  const data: SqliteOptions = {
    file: join(options.dataDir, DB_FILE),
    sync: options.sync,
    maxRejections: options.maxRejections ?? 10_000,
    identity: options.identity ?? null,
  };
  const worker = spawnWorker(new URL('./sqlite-worker', import.meta.url), data);
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

  function send(method: Method, args: unknown[], transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, method, args } satisfies WorkerCall, transfer);
    });
  }
  const call = <M extends Method>(method: M, ...args: Parameters<EventStore[M]>) =>
    send(method, args) as ReturnType<EventStore[M]>;

  let closing: Promise<void> | null = null;
  return {
    get broken() {
      return failure !== null && closing === null;
    },
    // Packed rows are transferred: the caller's buffers are detached afterwards.
    commit: (batch) => send('commit', [batch], transferList(batch.rows)) as Promise<CommitResult>,
    listEvents: (query) => call('listEvents', query),
    listRejections: (query) => call('listRejections', query),
    readOutbox: (after, limit) => call('readOutbox', after, limit),
    getCursor: (sink) => call('getCursor', sink),
    setCursor: (sink, seq) => call('setCursor', sink, seq),
    lastSeq: () => call('lastSeq'),
    pruneDedupe: (before) => call('pruneDedupe', before),
    getProfile: (ref) => call('getProfile', ref),
    profileEvents: (ref, before, limit) => call('profileEvents', ref, before, limit),
    profileHistory: (ref) => call('profileHistory', ref),
    eraseProfile: (ref) => call('eraseProfile', ref),
    unlinkIdentifier: (ref, target) => call('unlinkIdentifier', ref, target),
    listSuppressions: () => call('listSuppressions'),
    liftSuppression: (ref) => call('liftSuppression', ref),
    listDefinitions: (kind) => call('listDefinitions', kind),
    getDefinition: (kind, key) => call('getDefinition', kind, key),
    definitionVersions: (kind, key) => call('definitionVersions', kind, key),
    putDefinition: (kind, key, body, at) => call('putDefinition', kind, key, body, at),
    deleteDefinition: (kind, key, at) => call('deleteDefinition', kind, key, at),
    engineLoad: (ids) => call('engineLoad', ids),
    engineSave: (updates) => call('engineSave', updates),
    engineDue: (now, limit) => call('engineDue', now, limit),
    segmentMembers: (segment, after, limit) => call('segmentMembers', segment, after, limit),
    segmentSize: (segment) => call('segmentSize', segment),
    engineChanges: (profileId, limit) => call('engineChanges', profileId, limit),
    profileIds: (after, limit) => call('profileIds', after, limit),
    engineHistory: (ids) => call('engineHistory', ids),
    readChanges: (after, limit) => call('readChanges', after, limit),
    deliveredSince: (destination, ids, since) => call('deliveredSince', destination, ids, since),
    recordActivation: (destination, outcomes) => call('recordActivation', destination, outcomes),
    activationCounts: (destination) => call('activationCounts', destination),
    lastChange: () => call('lastChange'),
    close: () => {
      if (closing) return closing;
      if (failure) return (closing = worker.terminate().then(() => undefined));
      // Listen before asking: a worker that exits right after replying has its reply drained and
      // 'exit' emitted in one tick, before a listener added in the reply's `then` would exist.
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      closing = call('close').then(() => exited);
      return closing;
    },
  };
}
