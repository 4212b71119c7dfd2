import { local } from './local.js';

interface Session {
  id: string;
  /** Epoch ms of the last event. */
  last: number;
}

/**
 * Session IDs: a session ends after `timeoutMs` without an event. Tabs share the session
 * through localStorage; the last-event time is written at most every few seconds, which is
 * all a timeout in minutes needs. Nothing is written until `persist` says so (consent).
 */
export function createSessions(
  key: string,
  timeoutMs: number,
  uuid: () => string,
  persist: () => boolean,
): { id(now: number): string; reset(): void } {
  let current: Session | null = null;
  let written = 0;
  const stored = (): Session | null => {
    const value = local.get(key) as Partial<Session> | undefined;
    return typeof value?.id === 'string' && typeof value.last === 'number'
      ? (value as Session)
      : null;
  };
  return {
    id(now) {
      // Another tab may have started or extended the session since this one last looked.
      if (!current || now - written > 5000) {
        const shared = stored();
        if (shared && (!current || shared.last > current.last)) current = shared;
      }
      if (!current || now - current.last > timeoutMs || now < current.last - 60_000) {
        current = { id: uuid(), last: now };
        written = 0;
      }
      current.last = now;
      if (now - written > 5000 && persist()) {
        written = now;
        local.set(key, current);
      }
      return current.id;
    },
    reset() {
      current = null;
      written = 0;
      local.remove(key);
    },
  };
}
