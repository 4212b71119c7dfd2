// The shape of a compiled definition set: conditions and tags resolved into a small plan the
// evaluator walks without looking anything up by name twice, the streams of events the state
// keeps, the evaluation order and the dependency index.
import type { Aggregate, Comparison, Duration, EventMatch, Window } from '@spoor/schemas';
import type { Needs } from './accumulator.js';
import type { Scalar } from './fields.js';
import type { Unit } from './time.js';

/** One definition: a tag or a segment. */
export interface DefinitionRef {
  kind: 'tag' | 'segment';
  key: string;
}

/** A condition with its streams resolved to keys and its paths split. */
export type Plan =
  | { k: 'and' | 'or'; of: Plan[] }
  | { k: 'not'; of: Plan }
  | { k: 'trait'; path: string[]; comparison: Comparison }
  | { k: 'tag'; key: string; comparison: Comparison }
  | { k: 'segment'; key: string }
  | { k: 'did'; stream: string; within: Window; atLeast: number; atMost: number }
  | { k: 'not_followed'; stream: string; by: string; followMs: number; within: Window }
  | { k: 'sequence'; steps: string[]; completeMs: number; within: Window }
  | { k: 'inactive'; stream: string; for: Duration; orNever: boolean };

/** How a tag's value is computed. */
export type TagPlan =
  | { k: 'fact'; stream: string; feed: string; aggregate: Aggregate; window: Window }
  | { k: 'rules'; rules: { when: Plan; value: Scalar }[]; otherwise: Scalar | undefined }
  | {
      k: 'rfm';
      recency: RfmInput;
      frequency: RfmInput;
      monetary: RfmInput;
      weights: { recency: number; frequency: number; monetary: number };
      /** By `min`, highest first. */
      tiers: { min: number; value: string }[];
    }
  | {
      k: 'lifecycle';
      stream: string;
      newFor: Duration;
      churnRiskAfter: Duration;
      dormantAfter: Duration;
    }
  | { k: 'imported'; valueType: 'string' | 'number' | 'boolean'; trait: string[] | undefined };

/** One RFM score's input tag and ascending bins. */
export interface RfmInput {
  tag: string;
  bins: number[];
}

/** What the state keeps for one property of a stream's events. */
export interface FeedPlan {
  /** The property path; empty for the events themselves. */
  path: string[];
  /** The longest window per unit: buckets older than that are dropped. */
  units: Partial<Record<Unit, number>>;
  /** Whether some definition aggregates it over all time. */
  all: boolean;
  needs: Needs;
}

/** One distinct event match, and what the state keeps about the events it matches. */
export interface StreamPlan {
  key: string;
  match: EventMatch;
  /** Its canonical JSON, the text `key` is a hash of: for reading state while debugging. */
  canonical: string;
  /** `match.where` with paths split. */
  filters: { path: string[]; comparison: Comparison }[];
  /** Per property path (`''` for the events themselves). */
  feeds: Map<string, FeedPlan>;
  /** How far back occurrence times are kept, in ms: 0 none, Infinity all (capped). */
  timesSpan: number;
}

/** What a definition depends on, directly or through the tags and segments it reads. */
export interface Dependencies {
  /** Event names (`$page`, `$identify` … for calls other than track). */
  events: string[];
  /** Trait paths. */
  traits: string[];
  tags: string[];
  segments: string[];
}

/** A validated, reference-checked definition set, ready to apply events to and evaluate. */
export interface Compiled {
  /** The deployment's offset from UTC, which cuts day buckets. */
  readonly offsetMs: number;
  /** Dependencies first: tags after the tags they read, segments after what they name. */
  readonly order: readonly DefinitionRef[];
  readonly tags: ReadonlyMap<string, TagPlan>;
  readonly segments: ReadonlyMap<string, Plan>;
  readonly streams: ReadonlyMap<string, StreamPlan>;
  /** Streams by event name, to find an event's streams without testing them all. */
  readonly streamsByEvent: ReadonlyMap<string, readonly StreamPlan[]>;
  /** Per definition, everything it depends on, transitively. */
  readonly dependencies: {
    readonly tags: Readonly<Record<string, Dependencies>>;
    readonly segments: Readonly<Record<string, Dependencies>>;
  };
  /** Each definition's position in `order`. */
  readonly positions: {
    readonly tags: ReadonlyMap<string, number>;
    readonly segments: ReadonlyMap<string, number>;
  };
  /** Positions in `order` of each definition's transitive dependencies and of itself. */
  readonly closure: readonly (readonly number[])[];
  /** Positions in `order` of the definitions depending on each stream, trait, tag, segment. */
  readonly dependents: {
    readonly streams: ReadonlyMap<string, readonly number[]>;
    readonly events: ReadonlyMap<string, readonly number[]>;
    /** By a trait path's first part. */
    readonly traits: ReadonlyMap<string, readonly number[]>;
    readonly tags: ReadonlyMap<string, readonly number[]>;
    readonly segments: ReadonlyMap<string, readonly number[]>;
  };
}
