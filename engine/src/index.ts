// @spoor/engine: the pure evaluation core of Spoor's tag (标签) and segment (人群) engine.
// Definitions + a profile's state + now in, tags, memberships and the next instant worth
// re-evaluating out. No I/O, no clock, no randomness: storage and scheduling wrap it.

export { compile } from './compile.js';
export type { CompileOptions, CompileResult, Definitions } from './compile.js';
export type { CompileError } from './plan-condition.js';
export type { Compiled, DefinitionRef, Dependencies } from './compiled.js';

export { emptyState } from './state.js';
export type { Accumulator, Buckets, FeedState, ProfileState, StreamState } from './state.js';

export { applyEvent } from './apply-event.js';
export type { Applied } from './apply-event.js';
export type { EngineEvent } from './event.js';
export { eventName } from './event.js';

export { evaluate } from './evaluate.js';
export type { Evaluation, Selection } from './evaluate.js';
export type { Profile, TagValue } from './context.js';
export type { Truth } from './truth.js';
export { LIFECYCLE_STAGES } from './models.js';

export { diff } from './diff.js';
export type { Change, Results } from './diff.js';

export { affectedBy } from './affected.js';
export type { Affected, Changes } from './affected.js';

export { prune } from './prune.js';
export { MAX_TIMES, MAX_VALUES } from './limits.js';
