import type { StoredEvent } from '../store/types.js';

/**
 * A destination for accepted events. The forwarder hands a sink events in `seq` order and
 * moves the sink's persisted cursor past them only after `deliver` resolves; a sink that throws
 * gets the same events again after a backoff.
 */
export interface Sink {
  /** Stable name: the key of the sink's cursor, so renaming a sink replays everything. */
  readonly name: string;
  /** Events per delivery at most. */
  readonly batchSize: number;
  deliver(events: StoredEvent[], signal: AbortSignal): Promise<void>;
}

/**
 * Serialises stored events as a JSON array without re-parsing their payloads; `profileId` is
 * included where the store reported one.
 */
export function eventsToJson(events: readonly StoredEvent[]): string {
  const parts = events.map((e) => {
    const profile = typeof e.profileId === 'number' ? `,"profileId":${e.profileId}` : '';
    return `{"seq":${e.seq},"source":${JSON.stringify(e.source)},"receivedAt":${JSON.stringify(new Date(e.receivedAt).toISOString())}${profile},"event":${e.payload}}`;
  });
  return `[${parts.join(',')}]`;
}
