import type { PersistedEvent } from '@spoor/sdk-core';
import { createStore, del, get, keys, set, type UseStore } from 'idb-keyval';
import { local } from './local.js';

const RECORD = 'queue:';
/** messageIds sent by beacon that records may still hold: enough for several unloads. */
const MAX_SENT = 2000;

/**
 * The unsent queue in IndexedDB, one record per tab, so that tabs never overwrite each other's
 * events. Each tab holds a Web Lock named after its record for as long as it lives; a record
 * whose lock nobody holds belongs to a tab that closed, crashed or reloaded, and the first tab
 * to take that lock adopts the record and sends its events. Without Web Locks a tab adopts the
 * records it finds on start-up only (a duplicate is then possible, and the collector drops it).
 *
 * IndexedDB writes started while a page unloads may never land, so the unload path also saves
 * synchronously to localStorage: what is still unsent, and the messageIds that left by beacon
 * (which the IndexedDB record may still list). Adoption merges both and skips those IDs.
 */
export class TabQueue {
  private _store: UseStore | null = null;
  private readonly _name: string;
  private readonly _id: string;
  private readonly _locks: LockManager | null;
  private _release: () => void = () => {};

  constructor(name: string, tabId: string) {
    this._name = name;
    this._id = tabId;
    this._locks = typeof navigator !== 'undefined' ? (navigator.locks ?? null) : null;
    // Held until the page goes away (or the client is shut down).
    void this._locks?.request(
      this._lockOf(tabId),
      () => new Promise<void>((resolve) => (this._release = resolve)),
    );
  }

  /** Writes this tab's unsent events (an empty queue removes the record). */
  save(items: unknown): Promise<void> {
    const store = this._open();
    return Array.isArray(items) && items.length === 0
      ? del(RECORD + this._id, store)
      : set(RECORD + this._id, items, store);
  }

  remove(): Promise<void> {
    local.remove(this._lastKey(this._id));
    return del(RECORD + this._id, this._open());
  }

  /** The synchronous save of a page being hidden or unloaded. */
  unloading(left: PersistedEvent[], sent: string[]): void {
    if (sent.length > 0) {
      const before = local.get(this._sentKey()) as string[] | undefined;
      local.set(
        this._sentKey(),
        [...(Array.isArray(before) ? before : []), ...sent].slice(-MAX_SENT),
      );
    }
    if (left.length > 0) local.set(this._lastKey(this._id), left);
    else local.remove(this._lastKey(this._id));
  }

  /** The page is visible again: its IndexedDB record is current, the unload copy is not. */
  visible(): void {
    local.remove(this._lastKey(this._id));
  }

  /** Lets other tabs adopt this tab's record (the client was shut down). */
  release(): void {
    this._release();
  }

  /**
   * Hands the events of tabs that are gone to `take` (which queues them in this tab), then
   * removes their records. IndexedDB runs this tab's resulting write before the removal, so a
   * crash in between leaves a duplicate for the collector to drop, never a loss.
   */
  async adopt(take: (items: PersistedEvent[]) => void, firstRun: boolean): Promise<void> {
    if (!this._locks && !firstRun) return;
    const store = this._open();
    const tabs = new Set<string>();
    for (const key of await keys<string>(store)) {
      if (typeof key === 'string' && key.startsWith(RECORD)) tabs.add(key.slice(RECORD.length));
    }
    const lastPrefix = this._lastKey('');
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key?.startsWith(lastPrefix)) tabs.add(key.slice(lastPrefix.length));
    }
    tabs.delete(this._id);
    for (const tab of tabs) {
      const claim = async () => {
        const sent = new Set(local.get(this._sentKey()) as string[] | undefined);
        const stored = await get<PersistedEvent[]>(RECORD + tab, store);
        const last = local.get(this._lastKey(tab)) as PersistedEvent[] | undefined;
        const events = new Map<string, PersistedEvent>();
        for (const e of [
          ...(Array.isArray(stored) ? stored : []),
          ...(Array.isArray(last) ? last : []),
        ]) {
          if (typeof e?.messageId === 'string' && !sent.has(e.messageId))
            events.set(e.messageId, e);
        }
        if (events.size > 0) take([...events.values()]);
        await Promise.resolve();
        local.remove(this._lastKey(tab));
        await del(RECORD + tab, store);
      };
      if (!this._locks) await claim();
      else
        await this._locks.request(this._lockOf(tab), { ifAvailable: true }, (lock) =>
          lock ? claim() : undefined,
        );
    }
  }

  private _lockOf(tab: string): string {
    return `${this._name}:${RECORD}${tab}`;
  }

  private _lastKey(tab: string): string {
    return `${this._name}.unsent.${tab}`;
  }

  private _sentKey(): string {
    return `${this._name}.beaconed`;
  }

  /** Opened on first use: while consent is pending not even an empty database is created. */
  private _open(): UseStore {
    return (this._store ??= createStore(this._name, 'kv'));
  }
}
