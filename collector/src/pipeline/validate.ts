import {
  buildJsonSchemas,
  validateEvent,
  type EventValidation,
  type SpoorEvent,
} from '@spoor/schemas';
import { Ajv2020 } from 'ajv/dist/2020.js';

/**
 * Event validation for the hot path. The zod schemas in `@spoor/schemas` are the contract; this
 * compiles their generated JSON Schema with ajv, which checks an event without copying it and
 * tries only the branch its `type` names. Only an event ajv refuses goes through zod, which
 * names the problems with Spoor's stable codes. A differential test keeps the two in agreement.
 */
export function createEventValidator(): (event: unknown) => EventValidation {
  const fast = compileFastCheck();
  return (event) => {
    if (fast(event)) return { ok: true, value: event as SpoorEvent };
    const detailed = validateEvent(event);
    // Should ajv ever refuse what zod accepts, zod's verdict stands: it is the contract.
    return detailed;
  };
}

/** The ajv twin of `EventSchema`: true when the event is valid. */
export function compileFastCheck(): (event: unknown) => boolean {
  const schema = {
    ...(buildJsonSchemas().event as Record<string, unknown>),
    discriminator: { propertyName: 'type' },
  };
  const ajv = new Ajv2020({ strict: false, validateFormats: false, discriminator: true });
  const check = ajv.compile(schema);
  return (event) => check(event);
}
