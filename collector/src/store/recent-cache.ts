/**
 * A bounded cache that keeps recently used entries: the storage thread's caches of identifiers,
 * links and profile facts, so the hot path rarely reads SQLite and memory stays bounded however
 * many profiles there are. Two generations instead of a strict LRU: a hit in the young one costs
 * a single hash lookup (a strict LRU re-inserts on every hit, which showed up at 7 % of the
 * storage thread's time); when the young generation is full it becomes the old one, and the old
 * one is dropped. An entry used since the last turnover survives it.
 */
export class RecentCache<K, V> {
  private _young = new Map<K, V>();
  private _old = new Map<K, V>();
  private readonly _half: number;

  constructor(max: number) {
    this._half = Math.max(1, Math.floor(max / 2));
  }

  get(key: K): V | undefined {
    const young = this._young.get(key);
    if (young !== undefined) return young;
    const old = this._old.get(key);
    if (old !== undefined) this.set(key, old);
    return old;
  }

  set(key: K, value: V): void {
    this._young.set(key, value);
    if (this._young.size > this._half) {
      this._old = this._young;
      this._young = new Map();
    }
  }

  delete(key: K): void {
    this._young.delete(key);
    this._old.delete(key);
  }

  clear(): void {
    this._young.clear();
    this._old.clear();
  }
}
