// Shared helpers for the engine's tests: definitions with their boilerplate filled in, events,
// and a profile's state built from a list of events.
import type { Condition, Duration, SegmentDefinition, TagDefinition } from '@spoor/schemas';
import { applyEvent } from '../apply-event.js';
import { compile, type CompileOptions, type Definitions } from '../compile.js';
import type { Compiled } from '../compiled.js';
import type { Profile } from '../context.js';
import type { EngineEvent } from '../event.js';
import { evaluate, type Evaluation } from '../evaluate.js';
import { emptyState, type ProfileState } from '../state.js';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** An instant from an ISO string with an explicit offset (`Z`), for readable tests. */
export function at(iso: string): number {
  if (!/(Z|[+-]\d\d:\d\d)$/.test(iso)) throw new Error(`give ${iso} an offset`);
  return Date.parse(iso);
}

export const days = (last: number): Duration => ({ last, unit: 'days' });
export const hours = (last: number): Duration => ({ last, unit: 'hours' });
export const minutes = (last: number): Duration => ({ last, unit: 'minutes' });

type TagBody = TagDefinition extends infer T
  ? T extends unknown
    ? Omit<T, 'name' | 'category' | 'subject' | 'description'>
    : never
  : never;

/** A tag definition with its taxonomy filled in. */
export function tag(body: TagBody): TagDefinition {
  return { name: 'a tag', category: 'test', subject: 'behaviour', ...body };
}

/** A segment definition. */
export function segment(condition: Condition): SegmentDefinition {
  return { name: 'a segment', condition };
}

/** A compiled set, or the test fails with the compile errors. */
export function compiled(definitions: Definitions, options?: CompileOptions): Compiled {
  const result = compile(definitions, options);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.compiled;
}

/** A track event. */
export function track(
  event: string,
  timestamp: number,
  properties?: Record<string, unknown>,
): EngineEvent {
  return { type: 'track', event, timestamp, ...(properties ? { properties } : {}) };
}

/** The state after `events`, applied in the order given. */
export function replay(
  set: Compiled,
  events: readonly EngineEvent[],
  from = emptyState(),
): ProfileState {
  return events.reduce((state, event) => applyEvent(set, state, event).state, from);
}

/** A profile with no traits and no imported values, or with these. */
export function profile(
  traits: Record<string, unknown> = {},
  imported: Record<string, unknown> = {},
): Profile {
  return { traits, imported };
}

/** Evaluates everything for a profile that did `events`, at `now`. */
export function evaluateAfter(
  set: Compiled,
  events: readonly EngineEvent[],
  now: number,
  who: Profile = profile(),
): Evaluation {
  return evaluate(set, replay(set, events), who, now);
}

/** Freezes `value` and everything in it, so that a test notices any mutation. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}
