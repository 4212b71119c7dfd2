import type { DropNotice } from './drops.js';

/** Something went wrong that the host may want to know about; never thrown. */
export interface ClientError {
  code: 'invalid' | 'sanitized' | 'too_large' | 'plugin' | 'storage' | 'internal';
  message: string;
}

/** What a client reports, by channel. */
export interface ClientEvents {
  drop: DropNotice;
  error: ClientError;
}

type Listener<T> = (payload: T) => void;

/** A tiny typed event emitter whose listeners cannot break the client. */
export class Emitter {
  private readonly _listeners: { [K in keyof ClientEvents]: Set<Listener<ClientEvents[K]>> } = {
    drop: new Set(),
    error: new Set(),
  };

  on<K extends keyof ClientEvents>(name: K, listener: Listener<ClientEvents[K]>): () => void {
    // Any other name (`__proto__` too) finds no Set of its own.
    const set = this._listeners[name] as unknown;
    if (!(set instanceof Set) || typeof listener !== 'function') return () => {};
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<K extends keyof ClientEvents>(name: K, payload: ClientEvents[K]): void {
    for (const listener of this._listeners[name]) {
      try {
        listener(payload);
      } catch {
        // A listener that throws is the host's bug; the client carries on.
      }
    }
  }
}
