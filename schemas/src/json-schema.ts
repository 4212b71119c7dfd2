import { z } from 'zod';
import { BatchSchema, EventSchema } from './event.js';

/**
 * JSON Schemas (draft 2020-12) generated from the zod schemas, for senders that do not use
 * TypeScript. Checks zod cannot express in JSON Schema (the identity requirement, limits and
 * forbidden keys) are described in `description`.
 */
export function buildJsonSchemas(): Record<'event' | 'batch', unknown> {
  const options = { io: 'input', unrepresentable: 'any' } as const;
  const event = withIdentityRule(z.toJSONSchema(EventSchema, options));
  const batch = z.toJSONSchema(BatchSchema.extend({ batch: z.array(EventSchema) }), options);
  const items = (batch.properties as Record<string, { items: Record<string, unknown> }>)['batch'];
  if (items) items.items = withIdentityRule(items.items);
  const note =
    'An event may be at most 32 KB of JSON, nested at most 16 levels, and no key may be ' +
    '__proto__, constructor or prototype (see the README for all limits).';
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

/** The zod refinement "userId, anonymousId or a non-empty identities", spelt in JSON Schema. */
function withIdentityRule<T extends Record<string, unknown>>(schema: T): T {
  return {
    ...schema,
    anyOf: [
      { required: ['userId'] },
      { required: ['anonymousId'] },
      { required: ['identities'], properties: { identities: { minProperties: 1 } } },
    ],
  };
}
