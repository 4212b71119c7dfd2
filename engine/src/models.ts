// Model and imported tags: values derived from other tags, traits and behaviour.
import type { RfmInput, TagPlan } from './compiled.js';
import { evaluateCondition } from './condition.js';
import type { EvalContext, TagValue } from './context.js';
import { toTime } from './dates.js';
import { getPath, isPresent } from './fields.js';
import { bucketOf, bucketStart, leavesWindowAt, windowStart } from './time.js';

type PlanOf<K extends TagPlan['k']> = Extract<TagPlan, { k: K }>;

/** The value of the first rule whose condition is true; unknown conditions are passed over. */
export function rulesValue(plan: PlanOf<'rules'>, context: EvalContext): TagValue {
  for (const rule of plan.rules) {
    if (evaluateCondition(rule.when, context) === true) return rule.value;
  }
  return plan.otherwise ?? null;
}

/**
 * RFM: three scores of 1 … bins + 1 (one plus the thresholds reached), averaged by weight into a
 * composite, named by the first tier (highest `min` first) whose `min` it reaches. Unknown if any
 * input is unknown or no tier is reached.
 */
export function rfmValue(plan: PlanOf<'rfm'>, context: EvalContext): TagValue {
  const r = recencyScore(plan.recency, context);
  const f = numberScore(plan.frequency, context);
  const m = numberScore(plan.monetary, context);
  if (r === undefined || f === undefined || m === undefined) return null;
  const w = plan.weights;
  const composite =
    (w.recency * r + w.frequency * f + w.monetary * m) / (w.recency + w.frequency + w.monetary);
  return plan.tiers.find((tier) => tier.min <= composite)?.value ?? null;
}

/**
 * Recency: days since the input's time, counted in calendar days (0 = today), scored the other
 * way round: 1 + the bins it is still under, so bins [7, 30] give 3 within the last 7 days
 * (as windows count them), 2 within 30, 1 after. A number is epoch ms, a string ISO-8601.
 */
function recencyScore(input: RfmInput, context: EvalContext): number | undefined {
  const { now, offsetMs } = context.clock;
  const time = toTime(context.tags.get(input.tag), offsetMs);
  if (time === undefined) return undefined;
  const day = bucketOf(time, 'days', offsetMs);
  const days = bucketOf(now, 'days', offsetMs) - day;
  let score = 1;
  for (const bin of input.bins) {
    if (days >= bin) continue;
    score++;
    context.clock.noteChange(bucketStart(day + bin, 'days', offsetMs));
  }
  return score;
}

/** Frequency or monetary: 1 + the bins the input's number reaches (≥). */
function numberScore(input: RfmInput, context: EvalContext): number | undefined {
  const value = context.tags.get(input.tag);
  if (typeof value !== 'number') return undefined;
  return 1 + input.bins.filter((bin) => value >= bin).length;
}

/** The lifecycle stages, in the order they are tested. */
export const LIFECYCLE_STAGES = ['new', 'dormant', 'at_risk', 'active'] as const;

/**
 * Lifecycle, from the activity's first and last times: `new` if the first is within newForDays,
 * else `dormant` if the last is not within dormantAfterDays, else `at_risk` (about to churn) if
 * not within churnRiskAfterDays, else `active`; unknown if never. "Within N days" is a window,
 * today and the N − 1 days before.
 */
export function lifecycleValue(plan: PlanOf<'lifecycle'>, context: EvalContext): TagValue {
  const stream = context.state.streams[plan.stream];
  if (stream === undefined) return null;
  const { now, offsetMs } = context.clock;
  for (const [t, window] of [
    [stream.first, plan.newFor],
    [stream.last, plan.churnRiskAfter],
    [stream.last, plan.dormantAfter],
  ] as const) {
    context.clock.noteChange(leavesWindowAt(t, window, offsetMs));
  }
  const within = (t: number, window: typeof plan.newFor) => t >= windowStart(now, window, offsetMs);
  if (within(stream.first, plan.newFor)) return 'new';
  if (!within(stream.last, plan.dormantAfter)) return 'dormant';
  if (!within(stream.last, plan.churnRiskAfter)) return 'at_risk';
  return 'active';
}

/**
 * An imported tag: from its trait when it has one and the trait is set, else the value set
 * through the API. A value not of the declared type is unknown (no coercion: "42" is no number).
 */
export function importedValue(
  plan: PlanOf<'imported'>,
  key: string,
  context: EvalContext,
): TagValue {
  const fromTrait =
    plan.trait === undefined ? undefined : getPath(context.profile.traits, plan.trait);
  const { imported } = context.profile;
  const value = isPresent(fromTrait)
    ? fromTrait
    : Object.hasOwn(imported, key)
      ? imported[key]
      : undefined;
  if (plan.valueType === 'number')
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  return typeof value === plan.valueType ? (value as string | boolean) : null;
}
