import { createStore, del, get, keys, set, type UseStore } from 'idb-keyval';

const PREFIX = 'queue:';

/**
 * The unsent queue in IndexedDB, one record per tab, so that tabs never overwrite each other's
 * events. Each tab holds a Web Lock named after its record for as long as it lives; a record
 * whose lock nobody holds belongs to a tab that closed, crashed or reloaded, and the first tab
 * to take that lock adopts the record and sends its events. Without Web Locks a tab adopts the
 * records it finds on start-up only (a duplicate is then possible, and the collector drops it).
 */
export class TabQueue {
  private _store: UseStore | null = null;
  private readonly _key: string;
  private readonly _locks: LockManager | undefined;
  private _release: () => void = () => {};

  constructor(
    private readonly _name: string,
    tabId: string,
  ) {
    this._key = PREFIX + tabId;
    this._locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    // Held until the page goes away (or the client is shut down).
    void this._locks?.request(
      this._lockOf(this._key),
      () => new Promise<void>((resolve) => (this._release = resolve)),
    );
  }

  /** Lets other tabs adopt this tab's record (the client was shut down). */
  release(): void {
    this._release();
  }

  /** Writes this tab's unsent events (an empty queue removes the record). */
  save(items: unknown): Promise<void> {
    const store = this._open();
    return Array.isArray(items) && items.length === 0
      ? del(this._key, store)
      : set(this._key, items, store);
  }

  remove(): Promise<void> {
    return del(this._key, this._open());
  }

  /**
   * Hands the events of tabs that are gone to `take` (which queues them in this tab), then
   * removes their records. IndexedDB runs this tab's resulting write before the removal, so a
   * crash in between leaves a duplicate for the collector to drop, never a loss.
   */
  async adopt(take: (items: unknown) => void, firstRun: boolean): Promise<void> {
    if (!this._locks && !firstRun) return;
    const store = this._open();
    for (const key of await keys<string>(store)) {
      if (typeof key !== 'string' || !key.startsWith(PREFIX) || key === this._key) continue;
      const claim = async () => {
        const items = await get<unknown>(key, store);
        if (items === undefined) return;
        take(items);
        await Promise.resolve();
        await del(key, store);
      };
      if (!this._locks) await claim();
      else
        await this._locks.request(this._lockOf(key), { ifAvailable: true }, (lock) =>
          lock ? claim() : undefined,
        );
    }
  }

  private _lockOf(key: string): string {
    return `${this._name}:${key}`;
  }

  /** Opened on first use: while consent is pending not even an empty database is created. */
  private _open(): UseStore {
    return (this._store ??= createStore(this._name, 'kv'));
  }
}
