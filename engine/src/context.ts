// What evaluating one profile carries from definition to definition.
import type { Clock } from './clock.js';
import type { ProfileState } from './state.js';
import type { Truth } from './truth.js';

/**
 * A tag's value: a string, number or boolean, or `null` when it is unknown (no events for an
 * aggregate that needs some, a missing or mistyped input, no rule matched and no `otherwise`).
 * Tags hold scalars only, so `null` cannot be mistaken for a value, and it survives JSON.
 */
export type TagValue = string | number | boolean | null;

/** A profile as `evaluate` needs it, besides its event state. */
export interface Profile {
  traits: Record<string, unknown>;
  /** Values of imported tags, by tag key, as set through the API. */
  imported: Record<string, unknown>;
}

/** One profile's evaluation in progress. */
export interface EvalContext {
  clock: Clock;
  state: ProfileState;
  profile: Profile;
  /** Results so far (dependencies are evaluated first). */
  tags: Map<string, TagValue>;
  segments: Map<string, Truth>;
  /** Definitions (`tags.x`, `segments.y`) whose result may be inexact because a cap was hit. */
  approximate: Set<string>;
  /** Set while evaluating one definition when something it read was capped. */
  inexact: boolean;
}
