// applyEvent(): one event folded into a profile's state. Pure: the input state is never changed;
// the result shares every part the event did not touch.
import { affectedAt, type Affected } from './affected.js';
import type { Compiled } from './compiled.js';
import { eventName, matches, type EngineEvent } from './event.js';
import type { ProfileState, StreamState } from './state.js';
import { updateStream } from './stream-update.js';

/** The state after an event, and the definitions whose result it may have changed. */
export interface Applied {
  state: ProfileState;
  affected: Affected;
}

/**
 * Adds `event` to every stream it matches. `affected` names the definitions reading a stream
 * that changed or (for identify) a trait it sets; evaluate those (`evaluate(…, affected)`).
 * An event without a finite timestamp changes nothing.
 *
 * Buckets are dropped relative to the newest event a stream has seen, so timestamps must be
 * skew-corrected (the collector does): one event dated years ahead would push the rest out.
 */
export function applyEvent(compiled: Compiled, state: ProfileState, event: EngineEvent): Applied {
  if (!Number.isFinite(event.timestamp)) return { state, affected: { tags: [], segments: [] } };
  const positions = new Set<number>();
  let streams: Record<string, StreamState> | undefined;
  for (const plan of compiled.streamsByEvent.get(eventName(event)) ?? []) {
    if (!matches(plan, event, compiled.offsetMs)) continue;
    streams ??= { ...state.streams };
    streams[plan.key] = updateStream(plan, state.streams[plan.key], event, compiled.offsetMs);
    for (const i of compiled.dependents.streams.get(plan.key) ?? []) positions.add(i);
  }
  if (event.type === 'identify') {
    for (const trait of Object.keys(event.traits ?? {})) {
      for (const i of compiled.dependents.traits.get(trait) ?? []) positions.add(i);
    }
  }
  const next = streams === undefined ? state : { ...state, streams };
  return { state: next, affected: affectedAt(compiled, positions) };
}
