import { z } from 'zod';
import type { EventIssue } from './codes.js';
import { ContextSchema } from './context.js';
import { formatPath } from './json-guard.js';
import { MAX_ID_LENGTH } from './limits.js';

/** An identifier value: a non-empty string, or a number (normalised to its decimal string). */
export const IdSchema = z
  .union([z.string().min(1).max(MAX_ID_LENGTH), z.number().finite()])
  .meta({ id: 'Id' });

/** An ISO-8601 date-time with a `Z` or numeric offset. */
export const DateTimeSchema = z.iso.datetime({ offset: true }).meta({ id: 'DateTime' });

/** A free-form JSON object: `properties` and `traits`. */
export const JsonObjectSchema = z.record(z.string(), z.unknown()).meta({ id: 'JsonObject' });

/** Identity type names: lower snake case, as configured on the collector. */
export const IdentityTypeSchema = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/);

/**
 * Spoor extension: additional typed identities an event carries, such as
 * `{ wechat_openid: 'o6_bm…', phone: '+8613800000000' }`. The collector accepts only the types
 * its deployment configures; `user_id` and `anonymous_id` travel in their own fields.
 */
export const IdentitiesSchema = z.record(IdentityTypeSchema, IdSchema).meta({ id: 'Identities' });

/**
 * Spoor extension carried by identify: profile operations besides `traits` (which are `set`).
 * `union` appends only values the list does not already hold.
 */
export const OperationsSchema = z
  .strictObject({
    setOnce: JsonObjectSchema.optional(),
    increment: z.record(z.string(), z.number().finite()).optional(),
    append: z.record(z.string(), z.array(z.unknown())).optional(),
    union: z.record(z.string(), z.array(z.unknown())).optional(),
    unset: z.array(z.string().min(1)).optional(),
  })
  .meta({ id: 'Operations' });

const common = {
  messageId: z.string().min(1).max(MAX_ID_LENGTH).optional(),
  anonymousId: IdSchema.optional(),
  userId: IdSchema.optional(),
  context: ContextSchema.optional(),
  integrations: z.record(z.string(), z.unknown()).optional(),
  timestamp: DateTimeSchema.optional(),
  originalTimestamp: DateTimeSchema.optional(),
  sentAt: DateTimeSchema.optional(),
  identities: IdentitiesSchema.optional(),
};

/** `track`: the user did something. */
export const TrackSchema = z.looseObject({
  ...common,
  type: z.literal('track'),
  event: z.string().min(1).max(200),
  properties: JsonObjectSchema.optional(),
});
/** `identify`: who the user is, and what we know about them. */
export const IdentifySchema = z.looseObject({
  ...common,
  type: z.literal('identify'),
  traits: JsonObjectSchema.optional(),
  operations: OperationsSchema.optional(),
});
/** `page`: a web page view. */
export const PageSchema = z.looseObject({
  ...common,
  type: z.literal('page'),
  name: z.string().optional(),
  category: z.string().optional(),
  properties: JsonObjectSchema.optional(),
});
/** `screen`: an app or mini-program screen view. */
export const ScreenSchema = z.looseObject({
  ...common,
  type: z.literal('screen'),
  name: z.string().optional(),
  properties: JsonObjectSchema.optional(),
});
/** `group`: the user belongs to an account, company or organisation. */
export const GroupSchema = z.looseObject({
  ...common,
  type: z.literal('group'),
  groupId: IdSchema,
  traits: JsonObjectSchema.optional(),
});
/** `alias`: `previousId` and `userId` are the same person. */
export const AliasSchema = z.looseObject({
  ...common,
  type: z.literal('alias'),
  userId: IdSchema,
  previousId: IdSchema,
});

/** The event types, in the order Segment's spec lists them. */
export const EVENT_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
/** One of {@link EVENT_TYPES}. */
export type EventType = (typeof EVENT_TYPES)[number];

/** Any event, discriminated by `type`. Unknown fields are kept. */
export const EventSchema = z
  .discriminatedUnion('type', [
    TrackSchema,
    IdentifySchema,
    PageSchema,
    ScreenSchema,
    GroupSchema,
    AliasSchema,
  ])
  .superRefine((event, ctx) => {
    const hasIdentities =
      event.identities !== undefined && Object.keys(event.identities).length > 0;
    if (event.userId === undefined && event.anonymousId === undefined && !hasIdentities) {
      ctx.addIssue({
        code: 'custom',
        message: 'userId, anonymousId or identities is required',
        params: { spoorCode: 'missing_identity' },
      });
    }
  });

/** A validated event. */
export type SpoorEvent = z.infer<typeof EventSchema>;
/** A validated track event. */
export type TrackEvent = z.infer<typeof TrackSchema>;
/** A validated identify event. */
export type IdentifyEvent = z.infer<typeof IdentifySchema>;
/** Profile operations carried by identify. */
export type Operations = z.infer<typeof OperationsSchema>;

/** The `/v1/batch` body. Batch-level `context` and `integrations` apply to every event in it. */
export const BatchSchema = z.looseObject({
  batch: z.array(z.unknown()),
  sentAt: DateTimeSchema.optional(),
  context: ContextSchema.optional(),
  integrations: z.record(z.string(), z.unknown()).optional(),
  writeKey: z.string().optional(),
});
/** A `/v1/batch` body before its events are validated one by one. */
export type Batch = z.infer<typeof BatchSchema>;

/** The result of {@link validateEvent}. */
export type EventValidation = { ok: true; value: SpoorEvent } | { ok: false; errors: EventIssue[] };

/**
 * Validates one event against {@link EventSchema} and translates zod's issues into Spoor's
 * stable event codes. Run {@link guardJson} first: it bounds what zod has to look at.
 */
export function validateEvent(value: unknown): EventValidation {
  const result = EventSchema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, errors: result.error.issues.map(toEventIssue) };
}

function toEventIssue(issue: z.core.$ZodIssue): EventIssue {
  const path = formatPath(issue.path.filter((p): p is string | number => typeof p !== 'symbol'));
  if (issue.code === 'custom' && issue.params?.['spoorCode'] === 'missing_identity') {
    return { code: 'missing_identity', path, message: issue.message };
  }
  if (issue.code === 'invalid_union' && path === 'type') {
    return { code: 'unknown_type', path, message: 'type must be one of ' + EVENT_TYPES.join(', ') };
  }
  if (issue.code === 'invalid_type' && path === '') {
    return { code: 'invalid_event', path, message: 'The event must be a JSON object' };
  }
  return { code: 'invalid_field', path, message: issue.message };
}
