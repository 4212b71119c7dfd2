// Tag (标签) and segment (人群) definitions: what marketers and analysts write, through the admin
// API or a definitions file, and what the engine evaluates. Shapes only: references between
// definitions (a segment naming a tag, cycles) are checked by the engine against the whole set.
import { z } from 'zod';

/** A definition's key: `high_value`, `complaints_30d`. */
export const DefinitionKeySchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]{0,63}$/,
    'a key is lower-case letters, digits and _, starting with a letter, at most 64 long',
  )
  .meta({ id: 'DefinitionKey' });

/** A dotted path into an event's properties or a profile's traits: `order.total`, `city`. */
export const FieldPathSchema = z
  .string()
  .regex(
    /^[A-Za-z_$][\w$-]*(\.[A-Za-z_$][\w$-]*){0,7}$/,
    'a field is a name or a dotted path of names (at most 8 deep), e.g. `order.total`',
  )
  .refine(
    (path) =>
      !path.split('.').some((part) => ['__proto__', 'constructor', 'prototype'].includes(part)),
    'a field may not name __proto__, constructor or prototype',
  );

/** Milliseconds per duration unit. */
export const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

const MAX_SPAN = { minutes: 7 * 24 * 60, hours: 90 * 24, days: 3650 } as const;

/** A span of time: `{ last: 30, unit: 'days' }`. */
export const DurationSchema = z
  .strictObject({
    last: z.number().int().positive(),
    unit: z.enum(['minutes', 'hours', 'days']),
  })
  // Windows keep a bucket per unit: minutes up to a week, hours up to 90 days, days ten years.
  .refine(
    (d) => d.last <= MAX_SPAN[d.unit],
    'a span is at most 10,080 minutes, 2,160 hours or 3,650 days (use a coarser unit)',
  )
  .meta({ id: 'Duration' });

/** The events an aggregate or a behaviour looks at: the last span before now, or all time. */
export const WindowSchema = z.union([z.literal('all'), DurationSchema]).meta({ id: 'Window' });

const Scalar = z.union([z.string().max(1000), z.number().finite(), z.boolean()]);

/**
 * How a value is compared. Numbers: eq … between. Strings: eq, neq, in, contains, starts_with,
 * ends_with. Dates (ISO-8601 strings or epoch ms): before, after, within_last,
 * not_within_last. Lists: has_any, has_all, has_none. Anything: exists, not_exists. A value of
 * the wrong type compares as unknown, never as false.
 */
function comparison<T extends z.ZodRawShape>(subject: T) {
  return [
    z.strictObject({ ...subject, op: z.enum(['eq', 'neq']), value: Scalar }),
    z.strictObject({
      ...subject,
      op: z.enum(['gt', 'gte', 'lt', 'lte']),
      value: z.number().finite(),
    }),
    z.strictObject({
      ...subject,
      op: z.literal('between'),
      value: z
        .tuple([z.number().finite(), z.number().finite()])
        .refine(([low, high]) => low <= high, 'between takes [low, high] with low ≤ high'),
    }),
    z.strictObject({
      ...subject,
      op: z.enum(['in', 'not_in', 'has_any', 'has_all', 'has_none']),
      value: z.array(Scalar).min(1).max(1000),
    }),
    z.strictObject({
      ...subject,
      op: z.enum(['contains', 'not_contains', 'starts_with', 'ends_with']),
      value: z.string().min(1).max(1000),
    }),
    z.strictObject({ ...subject, op: z.enum(['exists', 'not_exists']) }),
    z.strictObject({
      ...subject,
      op: z.enum(['before', 'after']),
      value: z.union([z.iso.datetime({ offset: true }), z.iso.date()]),
    }),
    z.strictObject({
      ...subject,
      op: z.enum(['within_last', 'not_within_last']),
      value: DurationSchema,
    }),
  ] as const;
}

/** A condition on one property of an event: `{ property: 'route', op: 'eq', value: 'SHA-CTU' }`. */
export const PropertyFilterSchema = z
  .discriminatedUnion('op', comparison({ property: FieldPathSchema }))
  .meta({ id: 'PropertyFilter' });

/** Events of one name, optionally narrowed by property filters (all must hold). */
const EventMatch = {
  event: z.string().min(1).max(200),
  where: z.array(PropertyFilterSchema).max(20).optional(),
};
export const EventMatchSchema = z.strictObject(EventMatch).meta({ id: 'EventMatch' });

export type Condition =
  | { and: Condition[] }
  | { or: Condition[] }
  | { not: Condition }
  | (Comparison & { trait: string })
  | (Comparison & { tag: string })
  | { segment: string }
  | DidCondition
  | DidNotFollowedCondition
  | SequenceCondition
  | InactiveCondition;

/**
 * A segment's rule: a boolean tree of conditions on traits, tags, other segments and behaviour.
 * Evaluated three-valued: what cannot be known (a missing trait, a tag without a value) is
 * unknown, and a profile is a member only where the whole tree is true.
 *
 * Each kind of condition is recognised by its leading key (`and`, `trait`, `did` …) and checked
 * against that kind alone, so that an error names the faulty field (`and.1.value: expected
 * number`) instead of listing why the value is none of the ten kinds.
 */
export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.custom<Condition>().superRefine((value, ctx) => {
    const kind = conditionKind(value);
    if (!kind) {
      ctx.addIssue({
        code: 'custom',
        message: `a condition is an object with one of: ${CONDITION_KEYS.join(', ')}`,
      });
      return;
    }
    const result = kind.safeParse(value);
    for (const issue of result.error?.issues ?? []) {
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    }
  }),
);

const CONDITION_KEYS = [
  'and',
  'or',
  'not',
  'trait',
  'tag',
  'segment',
  'did',
  'sequence',
  'inactive',
];

/** The schema of the condition `value` claims to be, by its leading key. */
function conditionKind(value: unknown): z.ZodType | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const has = (key: string) => Object.prototype.hasOwnProperty.call(value, key);
  if (has('and')) return z.strictObject({ and: z.array(ConditionSchema).min(1).max(50) });
  if (has('or')) return z.strictObject({ or: z.array(ConditionSchema).min(1).max(50) });
  if (has('not')) return z.strictObject({ not: ConditionSchema });
  if (has('trait')) return z.discriminatedUnion('op', comparison({ trait: FieldPathSchema }));
  if (has('tag')) return z.discriminatedUnion('op', comparison({ tag: DefinitionKeySchema }));
  if (has('segment')) return z.strictObject({ segment: DefinitionKeySchema });
  if (has('did')) return has('notFollowedBy') ? DidNotFollowedSchema : DidSchema;
  if (has('sequence')) return SequenceSchema;
  if (has('inactive')) return InactiveSchema;
  return undefined;
}

/** "Did X at least / at most N times in window W": `{ did: { event: 'Search' }, within: … }`. */
const DidSchema = z
  .strictObject({
    did: EventMatchSchema,
    within: WindowSchema,
    atLeast: z.number().int().nonnegative().max(1_000_000).optional(),
    atMost: z.number().int().nonnegative().max(1_000_000).optional(),
  })
  .refine(
    (c) => c.atLeast === undefined || c.atMost === undefined || c.atLeast <= c.atMost,
    'atLeast must not exceed atMost',
  );

/** "Did X, and no Y followed within T": abandoned carts, searches without a booking. */
const DidNotFollowedSchema = z.strictObject({
  did: EventMatchSchema,
  notFollowedBy: EventMatchSchema,
  followWithin: DurationSchema,
  within: WindowSchema,
});

/** "Did A, then B, … in that order, each within T of the first": a funnel. */
const SequenceSchema = z.strictObject({
  sequence: z.array(EventMatchSchema).min(2).max(10),
  completeWithin: DurationSchema,
  within: WindowSchema,
});

/** "Has not done X for N days" (nor ever, with `orNever`, the default). */
const InactiveSchema = z.strictObject({
  inactive: EventMatchSchema,
  for: DurationSchema,
  orNever: z.boolean().optional(),
});

/** The comparison part of a trait, tag or property condition (`op` and `value`). */
export type Comparison =
  | { op: 'eq' | 'neq'; value: string | number | boolean }
  | { op: 'gt' | 'gte' | 'lt' | 'lte'; value: number }
  | { op: 'between'; value: [number, number] }
  | {
      op: 'in' | 'not_in' | 'has_any' | 'has_all' | 'has_none';
      value: (string | number | boolean)[];
    }
  | { op: 'contains' | 'not_contains' | 'starts_with' | 'ends_with'; value: string }
  | { op: 'exists' | 'not_exists' }
  | { op: 'before' | 'after'; value: string }
  | { op: 'within_last' | 'not_within_last'; value: Duration };
type DidCondition = z.infer<typeof DidSchema>;
type DidNotFollowedCondition = z.infer<typeof DidNotFollowedSchema>;
type SequenceCondition = z.infer<typeof SequenceSchema>;
type InactiveCondition = z.infer<typeof InactiveSchema>;

/** The aggregates a fact tag computes over its events. */
export const AGGREGATES = [
  'count',
  'sum',
  'min',
  'max',
  'avg',
  'distinct_count',
  'first_value',
  'last_value',
  'first_time',
  'last_time',
  'most_frequent',
] as const;
/** Aggregates that need no property: they count or time the events themselves. */
const WITHOUT_PROPERTY = new Set(['count', 'first_time', 'last_time']);

/** "Total spend in 90 days": an aggregate of one event's property over a window. */
export const FactTagSchema = z
  .strictObject({
    kind: z.literal('fact'),
    ...EventMatch,
    aggregate: z.enum(AGGREGATES),
    property: FieldPathSchema.optional(),
    window: WindowSchema,
  })
  .refine((t) => WITHOUT_PROPERTY.has(t.aggregate) || t.property !== undefined, {
    message: 'this aggregate needs the property it aggregates',
    path: ['property'],
  });

/** Rules over traits, tags and behaviour, first match wins: intent grades, custom labels. */
const RulesModel = z.strictObject({
  type: z.literal('rules'),
  rules: z
    .array(z.strictObject({ when: ConditionSchema, value: Scalar }))
    .min(1)
    .max(50),
  otherwise: Scalar.optional(),
});

/**
 * Bins for one RFM score: ascending thresholds; a value's score is 1 + the number of thresholds
 * it reaches (so n thresholds give scores 1 … n+1). Recency counts days since the last time, and
 * scores the other way round: more recent is better.
 */
const Bins = z
  .array(z.number().finite())
  .min(1)
  .max(9)
  .refine((b) => b.every((v, i) => i === 0 || (b[i - 1] as number) < v), 'bins must be ascending');

/** RFM: recency, frequency and monetary scores from three tags, weighted into tiers. */
const RfmModel = z.strictObject({
  type: z.literal('rfm'),
  recency: z.strictObject({ tag: DefinitionKeySchema, bins: Bins }),
  frequency: z.strictObject({ tag: DefinitionKeySchema, bins: Bins }),
  monetary: z.strictObject({ tag: DefinitionKeySchema, bins: Bins }),
  weights: z
    .strictObject({
      recency: z.number().nonnegative(),
      frequency: z.number().nonnegative(),
      monetary: z.number().nonnegative(),
    })
    .refine((w) => w.recency + w.frequency + w.monetary > 0, 'at least one weight must be positive')
    .optional(),
  /** Named tiers by composite score, highest `min` first matched. */
  tiers: z
    .array(z.strictObject({ min: z.number().finite(), value: z.string().min(1).max(100) }))
    .min(1)
    .max(20),
});

/** Lifecycle: new, active, about to churn, dormant, from the times of one activity. */
const LifecycleModel = z
  .strictObject({
    type: z.literal('lifecycle'),
    activity: EventMatchSchema,
    newForDays: z.number().int().positive(),
    churnRiskAfterDays: z.number().int().positive(),
    dormantAfterDays: z.number().int().positive(),
  })
  .refine(
    (m) => m.churnRiskAfterDays < m.dormantAfterDays,
    'churnRiskAfterDays must come before dormantAfterDays',
  );

/** A tag computed from other tags, traits and behaviour. */
export const ModelTagSchema = z.strictObject({
  kind: z.literal('model'),
  model: z.discriminatedUnion('type', [RulesModel, RfmModel, LifecycleModel]),
});

/** A value set from outside (a model's score, a CRM grade): by the API, or from a trait. */
export const ImportedTagSchema = z.strictObject({
  kind: z.literal('imported'),
  valueType: z.enum(['string', 'number', 'boolean']),
  /** Copied from this trait whenever an identify sets it. */
  trait: FieldPathSchema.optional(),
});

const described = {
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
};

/** A tag (标签): its place in the taxonomy (category → tag → value) and how it is computed. */
export const TagDefinitionSchema = z
  .intersection(
    z.strictObject({
      ...described,
      /** Taxonomy: `消费/价值`, `behaviour/orders`. Slash-separated levels. */
      category: z.string().min(1).max(200),
      subject: z.enum(['attribute', 'behaviour', 'entity']),
    }),
    z.discriminatedUnion('kind', [FactTagSchema, ModelTagSchema, ImportedTagSchema]),
  )
  .meta({ id: 'TagDefinition' });

/** A segment (人群): who matches a condition now. */
export const SegmentDefinitionSchema = z
  .strictObject({
    ...described,
    condition: ConditionSchema,
    /** Entering is delivered within seconds of the event that caused it. */
    trigger: z.boolean().optional(),
  })
  .meta({ id: 'SegmentDefinition' });

export type Duration = z.infer<typeof DurationSchema>;
export type Window = z.infer<typeof WindowSchema>;
export type PropertyFilter = z.infer<typeof PropertyFilterSchema>;
export type EventMatch = z.infer<typeof EventMatchSchema>;
export type TagDefinition = z.infer<typeof TagDefinitionSchema>;
export type SegmentDefinition = z.infer<typeof SegmentDefinitionSchema>;
export type Aggregate = (typeof AGGREGATES)[number];
