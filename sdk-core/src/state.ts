import type { KeyValueStorage } from './platform.js';
import { isRecord } from './sanitize.js';

/** Consent: `pending` sends and persists nothing; `denied` drops everything. */
export type Consent = 'granted' | 'pending' | 'denied';

/** Who the client believes the user is, and what it adds to every event. */
export interface IdentityState {
  anonymousId: string;
  userId: string | null;
  traits: Record<string, unknown>;
  /** Extra identities bound with `bind()`, sent on every event. */
  identities: Record<string, string>;
  /** Super properties (`register`), added to every event's properties. */
  superProperties: Record<string, unknown>;
}

const KEYS = ['identity', 'consent', 'queue'] as const;

/**
 * The client's persisted state, behind the storage port. While consent is pending nothing is
 * written; `denied` removes what was written, keeping only the choice itself.
 */
export class StateStore {
  private readonly _storage: KeyValueStorage;
  private readonly _prefix: string;

  constructor(storage: KeyValueStorage, prefix: string) {
    this._storage = storage;
    this._prefix = prefix;
  }

  load(): Promise<{
    identity: Partial<IdentityState>;
    consent: Consent | null;
    queue: unknown;
  }> {
    return Promise.all(
      KEYS.map((k) => this._storage.get(this._prefix + k).catch(() => undefined)),
    ).then(([identity, consent, queue]) => ({
      identity: isRecord(identity) ? identity : {},
      consent: consent === 'granted' || consent === 'denied' ? consent : null,
      queue,
    }));
  }

  save(key: (typeof KEYS)[number], value: unknown): Promise<void> {
    return this._storage.set(this._prefix + key, value);
  }

  clear(): Promise<void> {
    return Promise.all(KEYS.map((k) => this._storage.remove(this._prefix + k))).then(() => {});
  }
}
