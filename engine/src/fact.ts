// Fact tags: an aggregate of a stream's events (or of one of their properties) over a window.
import type { Aggregate } from '@spoor/schemas';
import { summarise, type Summary } from './accumulator.js';
import type { TagPlan } from './compiled.js';
import type { EvalContext, TagValue } from './context.js';
import { decodeScalar } from './fields.js';
import { bucketsIn } from './window.js';

/**
 * A fact tag's value. With no matching events, count, sum and distinct_count are 0 (nothing
 * happened is known) and the rest unknown (`null`): there is no first value of nothing.
 */
export function factValue(plan: Extract<TagPlan, { k: 'fact' }>, context: EvalContext): TagValue {
  const feed = context.state.streams[plan.stream]?.feeds?.[plan.feed];
  const buckets = bucketsIn(feed, plan.window, context.clock);
  // The oldest bucket leaving changes the value (most aggregates); later ones leave later.
  if (buckets[0]) context.clock.noteChange(buckets[0].leavesAt);
  const summary = summarise(buckets.map((bucket) => bucket.acc));
  if (summary.approximate && isValueAggregate(plan.aggregate)) context.inexact = true;
  return aggregateOf(summary, plan.aggregate);
}

function isValueAggregate(aggregate: Aggregate): boolean {
  return aggregate === 'distinct_count' || aggregate === 'most_frequent';
}

/** One aggregate of a summary. avg, min and max see only numeric values. */
export function aggregateOf(summary: Summary, aggregate: Aggregate): TagValue {
  switch (aggregate) {
    case 'count':
      return summary.n;
    case 'sum':
      return summary.s;
    case 'avg':
      return summary.c > 0 ? summary.s / summary.c : null;
    case 'min':
      return summary.lo ?? null;
    case 'max':
      return summary.hi ?? null;
    case 'first_value':
      return summary.fv ?? null;
    case 'last_value':
      return summary.lv ?? null;
    case 'first_time':
      return summary.ft ?? null;
    case 'last_time':
      return summary.lt ?? null;
    case 'distinct_count':
      return summary.values.size;
    case 'most_frequent':
      return mostFrequent(summary.values);
  }
}

/**
 * The value seen most often; on a tie the one seen last (the customer's current habit), and on
 * a tie of times too the smallest key, so that the answer never depends on bucket order.
 */
function mostFrequent(values: Summary['values']): TagValue {
  let best: { key: string; count: number; last: number } | undefined;
  for (const [key, [count, last]] of values) {
    const better =
      best === undefined ||
      count > best.count ||
      (count === best.count && (last > best.last || (last === best.last && key < best.key)));
    if (better) best = { key, count, last };
  }
  return best === undefined ? null : decodeScalar(best.key);
}
