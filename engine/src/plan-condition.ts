// Compiling a condition tree: streams registered, references to tags and segments checked and
// recorded (with the path of the reference, for error messages and cycle reports).
import { UNIT_MS, type Condition, type Duration } from '@spoor/schemas';
import type { Plan } from './compiled.js';
import { splitPath } from './fields.js';
import type { StreamRegistry } from './stream-registry.js';

/** A compile error: where in the definitions, and what is wrong. */
export interface CompileError {
  /** Dotted, from the definitions' root: `segments.vip.condition.and.1.segment`. */
  path: string;
  message: string;
}

/** What one definition reads directly. References map each key to where it is first named. */
export interface DirectDependencies {
  streams: Set<string>;
  traits: Set<string>;
  tags: Map<string, string>;
  segments: Map<string, string>;
}

/** Shared by everything compiled from one definition set. */
export interface PlanContext {
  registry: StreamRegistry;
  errors: CompileError[];
  tagKeys: ReadonlySet<string>;
  segmentKeys: ReadonlySet<string>;
}

/** An empty set of direct dependencies. */
export function noDependencies(): DirectDependencies {
  return { streams: new Set(), traits: new Set(), tags: new Map(), segments: new Map() };
}

/** `condition` (found at `path`) compiled, its references checked and added to `deps`. */
export function planCondition(
  condition: Condition,
  path: string,
  context: PlanContext,
  deps: DirectDependencies,
): Plan {
  const sub = (child: Condition, at: string) => planCondition(child, at, context, deps);
  if ('and' in condition)
    return { k: 'and', of: condition.and.map((c, i) => sub(c, `${path}.and.${i}`)) };
  if ('or' in condition)
    return { k: 'or', of: condition.or.map((c, i) => sub(c, `${path}.or.${i}`)) };
  if ('not' in condition) return { k: 'not', of: sub(condition.not, `${path}.not`) };
  if ('trait' in condition) {
    deps.traits.add(condition.trait);
    return { k: 'trait', path: splitPath(condition.trait), comparison: condition };
  }
  if ('tag' in condition) {
    reference('tag', condition.tag, `${path}.tag`, context, deps);
    return { k: 'tag', key: condition.tag, comparison: condition };
  }
  if ('segment' in condition) {
    reference('segment', condition.segment, `${path}.segment`, context, deps);
    return { k: 'segment', key: condition.segment };
  }
  const stream = (match: Parameters<StreamRegistry['stream']>[0]) => {
    const key = context.registry.stream(match);
    deps.streams.add(key);
    return key;
  };
  if ('did' in condition) {
    const did = stream(condition.did);
    if ('notFollowedBy' in condition) {
      const by = stream(condition.notFollowedBy);
      context.registry.times(did, condition.within);
      context.registry.times(by, condition.within);
      const followMs = durationMs(condition.followWithin);
      return { k: 'not_followed', stream: did, by, followMs, within: condition.within };
    }
    context.registry.feed(did, undefined, condition.within, {});
    const { atLeast, atMost } = condition;
    return {
      k: 'did',
      stream: did,
      within: condition.within,
      atLeast: atLeast ?? (atMost === undefined ? 1 : 0),
      atMost: atMost ?? Infinity,
    };
  }
  if ('sequence' in condition) {
    const steps = condition.sequence.map(stream);
    for (const step of steps) context.registry.times(step, condition.within);
    const completeMs = durationMs(condition.completeWithin);
    return { k: 'sequence', steps, completeMs, within: condition.within };
  }
  const { inactive, for: span, orNever } = condition;
  return { k: 'inactive', stream: stream(inactive), for: span, orNever: orNever ?? true };
}

/** Records a reference to a tag or segment, or an error if there is no such definition. */
export function reference(
  kind: 'tag' | 'segment',
  key: string,
  path: string,
  context: PlanContext,
  deps: DirectDependencies,
): void {
  const known = kind === 'tag' ? context.tagKeys : context.segmentKeys;
  if (!known.has(key)) {
    context.errors.push({ path, message: `unknown ${kind} "${key}"` });
    return;
  }
  const refs = kind === 'tag' ? deps.tags : deps.segments;
  if (!refs.has(key)) refs.set(key, path);
}

/** A duration in milliseconds. */
export function durationMs(duration: Duration): number {
  return duration.last * UNIT_MS[duration.unit];
}
