import type { EngineEvent } from '@spoor/engine';
import type { StoredEvent } from '../store/types.js';

/** The engine's view of a stored event: type, name, properties, traits and event time. */
export function engineEvent(stored: StoredEvent): EngineEvent {
  const payload = parseJson<Record<string, unknown>>(stored.payload, {});
  const stamp = payload['timestamp'];
  const time = typeof stamp === 'string' ? Date.parse(stamp) : NaN;
  const event: EngineEvent = {
    type: payload['type'] as EngineEvent['type'],
    timestamp: Number.isFinite(time) ? time : stored.receivedAt,
  };
  // A track's name is `event`; a page's or screen's is `name`.
  const name = payload['event'] ?? payload['name'];
  if (typeof name === 'string') event.event = name;
  const properties = objectOf(payload['properties']);
  if (properties) event.properties = properties;
  const traits = objectOf(payload['traits']);
  if (traits) event.traits = traits;
  return event;
}

function objectOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** JSON text parsed, or `fallback` when it is null or not JSON. */
export function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
