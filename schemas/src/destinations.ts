// Destinations of membership changes, and the definitions file that holds tags, segments and
// destinations together.
import { z } from 'zod';
import {
  DefinitionKeySchema,
  DurationSchema,
  SegmentDefinitionSchema,
  TagDefinitionSchema,
} from './definitions.js';

/**
 * Where membership changes go: a webhook receiving `{ changes: [...] }`, signed with HMAC-SHA256
 * of `${timestamp}.${body}` under `secret` (header `spoor-signature: t=…,v1=…`), retried with
 * backoff until answered 2xx, with an `idempotency-key` per batch of changes.
 */
export const DestinationSchema = z
  .strictObject({
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    url: z
      .string()
      .max(2000)
      .regex(/^https?:\/\/[^\s]+$/, 'a destination url is http(s)://…'),
    /** The HMAC key the receiver verifies signatures with. Never shown by the API. */
    secret: z.string().min(16, 'a secret has at least 16 characters').max(200),
    /** Segments whose changes it receives (default: all). */
    segments: z.array(DefinitionKeySchema).max(500).optional(),
    /** Which changes (default: entering and exiting). */
    changes: z
      .array(z.enum(['segment_entered', 'segment_exited', 'tag_changed']))
      .min(1)
      .optional(),
    /** Anti-disturbance: at most `max` deliveries per profile per `per`; the rest are capped. */
    frequencyCap: z
      .strictObject({ max: z.number().int().positive().max(1_000_000), per: DurationSchema })
      .optional(),
  })
  .meta({ id: 'Destination' });

/** A definitions file, loaded at start-up: keys map to definitions. */
export const DefinitionsFileSchema = z
  .strictObject({
    tags: z.record(DefinitionKeySchema, TagDefinitionSchema).optional(),
    segments: z.record(DefinitionKeySchema, SegmentDefinitionSchema).optional(),
    destinations: z.record(DefinitionKeySchema, DestinationSchema).optional(),
  })
  .meta({ id: 'DefinitionsFile' });

export type Destination = z.infer<typeof DestinationSchema>;
export type DefinitionsFile = z.infer<typeof DefinitionsFileSchema>;
