/**
 * A bounded map that forgets its least recently used entries: the storage thread's caches of
 * identifiers, links and profile facts, so the hot path rarely reads SQLite and memory stays
 * bounded however many profiles there are.
 */
export class Lru<K, V> {
  private readonly _map = new Map<K, V>();

  constructor(private readonly _max: number) {}

  get(key: K): V | undefined {
    const value = this._map.get(key);
    if (value !== undefined) {
      this._map.delete(key);
      this._map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this._map.delete(key);
    this._map.set(key, value);
    if (this._map.size > this._max) {
      const oldest = this._map.keys().next();
      if (!oldest.done) this._map.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this._map.delete(key);
  }

  clear(): void {
    this._map.clear();
  }

  get size(): number {
    return this._map.size;
  }
}
