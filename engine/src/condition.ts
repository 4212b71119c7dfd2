// Evaluating a compiled condition tree, three-valued, with short cuts: AND stops at the first
// false and OR at the first true. Skipping the rest is safe for nextChangeAt too: while the
// deciding branch holds, the others cannot change the answer, and when it changes the profile is
// evaluated again anyway.
import type { Plan } from './compiled.js';
import { compare } from './compare.js';
import type { EvalContext } from './context.js';
import { getPath } from './fields.js';
import { did, inactive, notFollowed, sequence } from './behaviour.js';
import { and, not, or, type Truth } from './truth.js';

/** Whether `plan` holds for the profile being evaluated. */
export function evaluateCondition(plan: Plan, context: EvalContext): Truth {
  switch (plan.k) {
    case 'and':
    case 'or': {
      const combine = plan.k === 'and' ? and : or;
      const decisive = plan.k === 'or';
      let result: Truth = !decisive;
      for (const child of plan.of) {
        result = combine(result, evaluateCondition(child, context));
        if (result === decisive) break;
      }
      return result;
    }
    case 'not':
      return not(evaluateCondition(plan.of, context));
    case 'trait':
      return compare(getPath(context.profile.traits, plan.path), plan.comparison, context.clock);
    case 'tag':
      if (context.approximate.has(`tags.${plan.key}`)) context.inexact = true;
      return compare(context.tags.get(plan.key), plan.comparison, context.clock);
    case 'segment':
      if (context.approximate.has(`segments.${plan.key}`)) context.inexact = true;
      return context.segments.get(plan.key) ?? 'unknown';
    case 'did':
      return did(plan, context);
    case 'not_followed':
      return notFollowed(plan, context);
    case 'sequence':
      return sequence(plan, context);
    case 'inactive':
      return inactive(plan, context);
  }
}
