import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { INVALID_EVENTS, VALID_EVENTS } from './event.fixtures.js';
import { buildJsonSchemas } from './json-schema.js';

const schemas = buildJsonSchemas();
const stored = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../json/${name}.schema.json`, import.meta.url), 'utf8'));

describe('exported JSON Schema', () => {
  it.each(['event', 'batch'] as const)(
    'json/%s.schema.json matches the zod schemas (run `pnpm --filter @spoor/schemas json-schema`)',
    (name) => {
      expect(stored(name)).toEqual(schemas[name]);
    },
  );

  // ISO date-time strings are checked by the schema's own regex; no format plugin needed.
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  const validEvent = ajv.compile(schemas.event as object);
  const validBatch = ajv.compile(schemas.batch as object);

  it.each(VALID_EVENTS)('accepts what zod accepts: %s', (_name, event) => {
    expect(validEvent(event), JSON.stringify(validEvent.errors)).toBe(true);
    expect(validBatch({ batch: [event] })).toBe(true);
  });

  it.each(INVALID_EVENTS)('rejects what zod rejects: %s', (_name, event) => {
    expect(validEvent(event)).toBe(false);
    expect(validBatch({ batch: [event] })).toBe(false);
  });
});
