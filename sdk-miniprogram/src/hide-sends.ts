import type { PersistedEvent, SpoorClient, TransportResult } from '@spoor/sdk-core';

/**
 * Batches sent from the hide callback through the second request slot. The core counts them
 * delivered when it hands them over; until WeChat answers they are remembered in storage, so
 * an app killed meanwhile sends them again at its next launch (the collector drops what it
 * already has), and a failed request puts them back into the queue.
 */
export function createHideSends(key: string) {
  let client: SpoorClient | undefined;
  const stored = (): string[] => {
    try {
      const value: unknown = wx.getStorageSync(key);
      return Array.isArray(value) ? value.filter((b): b is string => typeof b === 'string') : [];
    } catch {
      return [];
    }
  };
  const write = (bodies: string[]) => {
    try {
      if (bodies.length > 0) wx.setStorageSync(key, bodies);
      else wx.removeStorageSync(key);
    } catch {
      // Storage full: the request is out anyway; only a kill before its answer would lose it.
    }
  };
  return {
    /** Takes back, once the client is loaded, what a previous run never heard about. */
    bind(owner: SpoorClient): void {
      client = owner;
      void owner.ready.then(() => {
        const left = stored();
        write([]);
        for (const body of left) owner.restore(eventsOf(body));
      });
    },
    /** `drain()`'s sender: true when `request` was started (a slot was free). */
    send(body: string, request: Promise<TransportResult> | null): boolean {
      if (!request) return false;
      write([...stored(), body]);
      void request.then((result) => {
        write(stored().filter((b) => b !== body));
        if (!result.ok || result.status < 200 || result.status >= 300) {
          if (client) client.restore(eventsOf(body));
        }
      });
      return true;
    },
    clear(): void {
      write([]);
    },
  };
}

/** The events of a batch body, as the queue persists them. */
function eventsOf(body: string): PersistedEvent[] {
  try {
    const batch = (JSON.parse(body) as { batch?: unknown }).batch;
    return Array.isArray(batch)
      ? batch.map((event: { messageId?: unknown }) => ({
          messageId: String((event || {}).messageId),
          json: JSON.stringify(event),
          attempts: 0,
        }))
      : [];
  } catch {
    return [];
  }
}
