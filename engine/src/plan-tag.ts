// Compiling a tag definition into the plan `evaluate` follows.
import type { Aggregate, TagDefinition } from '@spoor/schemas';
import type { Needs } from './accumulator.js';
import type { RfmInput, TagPlan } from './compiled.js';
import { splitPath } from './fields.js';
import {
  planCondition,
  reference,
  type DirectDependencies,
  type PlanContext,
} from './plan-condition.js';

/** What each aggregate needs an accumulator to keep (the count is always kept). */
const NEEDS: Record<Aggregate, Partial<Needs>> = {
  count: {},
  sum: { sum: true },
  avg: { sum: true },
  min: { min: true },
  max: { max: true },
  distinct_count: { values: true },
  most_frequent: { values: true },
  first_value: { first: true },
  first_time: { first: true },
  last_value: { last: true },
  last_time: { last: true },
};

/** Tag `key` compiled, its references checked and added to `deps`. */
export function planTag(
  key: string,
  tag: TagDefinition,
  context: PlanContext,
  deps: DirectDependencies,
): TagPlan {
  const path = `tags.${key}`;
  if (tag.kind === 'fact') {
    const stream = context.registry.stream({ event: tag.event, where: tag.where });
    deps.streams.add(stream);
    const feed = context.registry.feed(stream, tag.property, tag.window, NEEDS[tag.aggregate]);
    return { k: 'fact', stream, feed, aggregate: tag.aggregate, window: tag.window };
  }
  if (tag.kind === 'imported') {
    if (tag.trait !== undefined) deps.traits.add(tag.trait);
    const trait = tag.trait === undefined ? undefined : splitPath(tag.trait);
    return { k: 'imported', valueType: tag.valueType, trait };
  }
  const model = tag.model;
  if (model.type === 'rules') {
    const rules = model.rules.map((rule, i) => ({
      when: planCondition(rule.when, `${path}.model.rules.${i}.when`, context, deps),
      value: rule.value,
    }));
    return { k: 'rules', rules, otherwise: model.otherwise };
  }
  if (model.type === 'lifecycle') {
    const stream = context.registry.stream(model.activity);
    deps.streams.add(stream);
    const days = (last: number) => ({ last, unit: 'days' }) as const;
    return {
      k: 'lifecycle',
      stream,
      newFor: days(model.newForDays),
      churnRiskAfter: days(model.churnRiskAfterDays),
      dormantAfter: days(model.dormantAfterDays),
    };
  }
  const input = (score: 'recency' | 'frequency' | 'monetary'): RfmInput => {
    const { tag: input, bins } = model[score];
    reference('tag', input, `${path}.model.${score}.tag`, context, deps);
    return { tag: input, bins };
  };
  return {
    k: 'rfm',
    recency: input('recency'),
    frequency: input('frequency'),
    monetary: input('monetary'),
    weights: model.weights ?? { recency: 1, frequency: 1, monetary: 1 },
    tiers: [...model.tiers].sort((a, b) => b.min - a.min),
  };
}
