import type { KeyValueStorage } from '@spoor/sdk-core';
import { readCookie, writeCookie } from './cookie.js';
import { local } from './local.js';
import type { TabQueue } from './tab-queue.js';

/** Cookie names: the visitor's anonymous ID and user ID, shared by every subdomain. */
export const COOKIES = { anonymousId: 'spoor_aid', userId: 'spoor_uid' } as const;

interface StoredIdentity {
  anonymousId?: unknown;
  userId?: unknown;
  [key: string]: unknown;
}

/**
 * The core's storage port on a browser. The identity goes to localStorage with its IDs
 * mirrored in first-party cookies, so that clearing either one keeps the visitor (and cookies
 * carry it across subdomains); the unsent queue goes to IndexedDB, one record per tab.
 */
export function createWebStorage(
  prefix: string,
  cookieDomain: string | null,
  queue: TabQueue,
): KeyValueStorage {
  const identityKey = `${prefix}identity`;
  const queueKey = `${prefix}queue`;
  return {
    get: async (key) => {
      // A new page is a new tab record: earlier queues come back through adoption instead.
      if (key === queueKey) return undefined;
      const stored = local.get(key);
      return key === identityKey ? withCookies(stored as StoredIdentity | undefined) : stored;
    },
    set: async (key, value) => {
      if (key === queueKey) return queue.save(value);
      local.set(key, value);
      if (key === identityKey) {
        for (const [field, name] of Object.entries(COOKIES))
          mirror(name, (value as StoredIdentity)[field], cookieDomain);
      }
    },
    remove: async (key) => {
      if (key === queueKey) return queue.remove();
      local.remove(key);
      if (key === identityKey) {
        for (const name of Object.values(COOKIES)) writeCookie(name, null, cookieDomain);
      }
    },
  };
}

/** The cookies decide who the visitor is; localStorage fills in when they were cleared. */
function withCookies(stored: StoredIdentity | undefined): StoredIdentity | undefined {
  const anonymousId = readCookie(COOKIES.anonymousId);
  if (anonymousId === null) return stored;
  const userId = readCookie(COOKIES.userId);
  // Traits belong to the user they were stored with; another user's are not carried over.
  const same = stored && stored.userId === userId;
  return { ...(same ? stored : {}), anonymousId, userId };
}

function mirror(name: string, value: unknown, domain: string | null): void {
  const text = typeof value === 'string' && value !== '' ? value : null;
  if (readCookie(name) !== text) writeCookie(name, text, domain);
}
