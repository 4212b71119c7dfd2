// evaluate(): a profile's tags and segment memberships at `now`, from its event state, traits
// and imported values. Pure: the same arguments give the same result on any machine.
import type { Compiled, TagPlan } from './compiled.js';
import { createClock } from './clock.js';
import { evaluateCondition } from './condition.js';
import type { EvalContext, Profile, TagValue } from './context.js';
import { factValue } from './fact.js';
import { importedValue, lifecycleValue, rfmValue, rulesValue } from './models.js';
import type { ProfileState } from './state.js';
import type { Truth } from './truth.js';

/** Which definitions to evaluate: these (and what they read). */
export interface Selection {
  tags?: readonly string[];
  segments?: readonly string[];
}

/** A profile's evaluated tags and segments. */
export interface Evaluation {
  /** Tag values; `null` is unknown. */
  tags: Record<string, TagValue>;
  /** Membership: true is a member; false and 'unknown' are not. */
  segments: Record<string, Truth>;
  /**
   * The earliest instant after `now` at which time passing, with no new event, may change a
   * result evaluated here; null if none can. With a selection it covers only the definitions
   * evaluated: keep the earlier of it and the profile's previous one.
   */
  nextChangeAt: number | null;
  /** Definitions whose result may be inexact because a state cap was reached. */
  approximate: { tags: string[]; segments: string[] };
}

/**
 * Evaluates every definition (or the selected ones and their dependencies), dependencies first.
 * Missing or mistyped data makes results unknown; it never throws.
 */
export function evaluate(
  compiled: Compiled,
  state: ProfileState,
  profile: Profile,
  now: number,
  only?: Selection,
): Evaluation {
  const clock = createClock(now, compiled.offsetMs);
  const context: EvalContext = {
    clock,
    state,
    profile,
    tags: new Map(),
    segments: new Map(),
    approximate: new Set(),
    inexact: false,
  };
  const result: Evaluation = {
    tags: {},
    segments: {},
    nextChangeAt: null,
    approximate: { tags: [], segments: [] },
  };
  for (const i of selected(compiled, only)) {
    const ref = compiled.order[i];
    if (ref === undefined) continue;
    context.inexact = false;
    if (ref.kind === 'tag') {
      const plan = compiled.tags.get(ref.key);
      const value = plan === undefined ? null : tagValue(plan, ref.key, context);
      context.tags.set(ref.key, value);
      result.tags[ref.key] = value;
    } else {
      const plan = compiled.segments.get(ref.key);
      const member = plan === undefined ? 'unknown' : evaluateCondition(plan, context);
      context.segments.set(ref.key, member);
      result.segments[ref.key] = member;
    }
    if (context.inexact) {
      context.approximate.add(`${ref.kind}s.${ref.key}`);
      (ref.kind === 'tag' ? result.approximate.tags : result.approximate.segments).push(ref.key);
    }
  }
  result.nextChangeAt = clock.nextChangeAt;
  return result;
}

function tagValue(plan: TagPlan, key: string, context: EvalContext): TagValue {
  switch (plan.k) {
    case 'fact':
      return factValue(plan, context);
    case 'rules':
      return rulesValue(plan, context);
    case 'rfm':
      if (
        [plan.recency, plan.frequency, plan.monetary].some((i) =>
          context.approximate.has(`tags.${i.tag}`),
        )
      ) {
        context.inexact = true;
      }
      return rfmValue(plan, context);
    case 'lifecycle':
      return lifecycleValue(plan, context);
    case 'imported':
      return importedValue(plan, key, context);
  }
}

/** Positions in the evaluation order to evaluate: all, or the selection's closure. */
function selected(compiled: Compiled, only: Selection | undefined): number[] {
  if (only === undefined) return compiled.order.map((_, i) => i);
  const wanted = new Set<number>();
  const want = (positions: ReadonlyMap<string, number>, keys: readonly string[] = []) => {
    for (const key of keys) {
      const own = positions.get(key);
      for (const i of own === undefined ? [] : (compiled.closure[own] ?? [])) wanted.add(i);
    }
  };
  want(compiled.positions.tags, only.tags);
  want(compiled.positions.segments, only.segments);
  return [...wanted].sort((a, b) => a - b);
}
