import { concatPacked } from './row-codec.js';
import type { IdentityReport } from './identity-graph.js';
import type { CommitBatch, CommitResult, EventStore, Outcome } from './types.js';

interface Waiter {
  batch: CommitBatch;
  resolve: (result: CommitResult) => void;
  reject: (error: unknown) => void;
}

/** Rows in one transaction at most; more wait for the next one, which bounds commit latency. */
const MAX_GROUP_ROWS = 5000;

/**
 * Group commit: requests that arrive while a commit is in flight share the next transaction, so
 * the cost of a commit (and its fsync) is spread over everything that arrived meanwhile, and the
 * group grows by itself exactly when load does. Each caller's promise settles only after the
 * transaction holding its rows has committed. Callers' packed rows are copied into the group,
 * never handed over, so callers can still read them afterwards.
 */
export class GroupCommitter {
  private _queue: Waiter[] = [];
  private _queuedRows = 0;
  private _inFlightRows = 0;
  private _running = false;
  private _idle: (() => void)[] = [];
  private _lastSeq: number;

  constructor(
    private readonly _store: EventStore,
    /** The store's last seq when the committer starts. */
    lastSeq: number,
    private readonly _onCommitted: (
      rows: number,
      seconds: number,
      identity: IdentityReport | undefined,
    ) => void = () => {},
  ) {
    this._lastSeq = lastSeq;
  }

  /** The highest seq committed so far (known without asking the store). */
  get lastSeq(): number {
    return this._lastSeq;
  }

  /** Rows accepted by {@link submit} whose commit has not finished. */
  get pendingRows(): number {
    return this._queuedRows + this._inFlightRows;
  }

  /** Queues a batch for the next group; resolves with its own outcomes once durable. */
  submit(batch: CommitBatch): Promise<CommitResult> {
    return new Promise((resolve, reject) => {
      this._queue.push({ batch, resolve, reject });
      this._queuedRows += batch.rows.count;
      if (!this._running) {
        this._running = true;
        // Let the rest of this event-loop turn's requests join the first group.
        setImmediate(() => void this._drain());
      }
    });
  }

  /** Resolves when everything submitted so far has been committed or failed. */
  idle(): Promise<void> {
    if (!this._running) return Promise.resolve();
    return new Promise((resolve) => this._idle.push(resolve));
  }

  private async _drain(): Promise<void> {
    while (this._queue.length > 0) {
      const group = this._take();
      const rows = concatPacked(group.map((w) => w.batch.rows));
      this._inFlightRows = rows.count;
      try {
        const rejections = group.flatMap((w) => w.batch.rejections);
        const started = performance.now();
        const { outcomes, lastSeq, identity } = await this._store.commit({ rows, rejections });
        const seconds = (performance.now() - started) / 1000;
        this._inFlightRows = 0;
        this._lastSeq = lastSeq;
        this._settle(group, outcomes);
        this._onCommitted(rows.count, seconds, identity);
      } catch (error) {
        this._inFlightRows = 0;
        for (const waiter of group) waiter.reject(error);
      }
    }
    this._running = false;
    for (const resolve of this._idle.splice(0)) resolve();
  }

  private _take(): Waiter[] {
    let rows = 0;
    let count = 0;
    for (const waiter of this._queue) {
      if (count > 0 && rows + waiter.batch.rows.count > MAX_GROUP_ROWS) break;
      rows += waiter.batch.rows.count;
      count++;
    }
    this._queuedRows -= rows;
    return this._queue.splice(0, count);
  }

  private _settle(group: Waiter[], outcomes: Outcome[]): void {
    let offset = 0;
    for (const waiter of group) {
      const n = waiter.batch.rows.count;
      waiter.resolve({ outcomes: outcomes.slice(offset, offset + n), lastSeq: this._lastSeq });
      offset += n;
    }
  }
}
