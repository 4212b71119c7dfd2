import { z } from 'zod';
import { BatchSchema, EventSchema } from './event.js';

/**
 * JSON Schemas (draft 2020-12) generated from the zod schemas, for senders that do not use
 * TypeScript. Checks zod cannot express in JSON Schema (the identity requirement, limits and
 * forbidden keys) are described in `description`.
 */
export function buildJsonSchemas(): Record<'event' | 'batch', unknown> {
  const event = z.toJSONSchema(EventSchema, { io: 'input', unrepresentable: 'any' });
  const batch = z.toJSONSchema(BatchSchema.extend({ batch: z.array(EventSchema) }), {
    io: 'input',
    unrepresentable: 'any',
  });
  const note =
    'An event needs userId, anonymousId or identities; it may be at most 32 KB of JSON, and no ' +
    'key may be __proto__, constructor or prototype (see the README for all limits).';
  return {
    event: {
      $id: 'https://spoor.dev/schemas/event.json',
      title: 'Spoor event',
      description: note,
      ...event,
    },
    batch: {
      $id: 'https://spoor.dev/schemas/batch.json',
      title: 'Spoor batch',
      description: note,
      ...batch,
    },
  };
}
