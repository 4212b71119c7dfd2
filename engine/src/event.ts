// The events the engine is given, and how an event match sees them.
import type { StreamPlan } from './compiled.js';
import { createClock } from './clock.js';
import { compare } from './compare.js';
import { getPath } from './fields.js';

/** An identity-resolved event, as the collector hands it to the engine. */
export interface EngineEvent {
  type: 'track' | 'identify' | 'page' | 'screen' | 'group' | 'alias';
  /** The track event's name; for page and screen calls, the page or screen name. */
  event?: string;
  properties?: Record<string, unknown>;
  traits?: Record<string, unknown>;
  /** When it happened, epoch ms (clock-skew corrected by the collector). */
  timestamp: number;
}

/**
 * The name an event match's `event` is compared with: a track call's event name; for other
 * calls `$` and the type (`$page`, `$screen`, `$identify`, `$group`, `$alias`), so that
 * "viewed a product page" is `{ event: '$page', where: [{ property: 'path', … }] }` and cannot
 * be confused with a track event that happens to share a page's name.
 */
export function eventName(event: EngineEvent): string {
  return event.type === 'track' ? (event.event ?? '') : `$${event.type}`;
}

/**
 * The value at a property path of an event: its properties (traits for identify and group).
 * A page or screen call's `name` is its properties' `name`, or else the call's name.
 */
export function eventField(event: EngineEvent, path: readonly string[]): unknown {
  const source =
    event.type === 'identify' || event.type === 'group' ? event.traits : event.properties;
  const value = getPath(source, path);
  if (value !== undefined || path.length !== 1 || path[0] !== 'name') return value;
  return event.type === 'page' || event.type === 'screen' ? event.event : undefined;
}

/**
 * Whether `event` (found by its name) passes every filter of a stream. A filter on a missing
 * property, or on a value of the wrong type, does not match. Date filters (`within_last`) are
 * judged at the event's own time, so that replaying history gives the same state.
 */
export function matches(stream: StreamPlan, event: EngineEvent, offsetMs: number): boolean {
  if (stream.filters.length === 0) return true;
  const clock = createClock(event.timestamp, offsetMs);
  return stream.filters.every(
    (filter) => compare(eventField(event, filter.path), filter.comparison, clock) === true,
  );
}
