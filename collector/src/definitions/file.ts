import { readFile } from 'node:fs/promises';
import { DefinitionsFileSchema } from '@spoor/schemas';
import type { EventStore } from '../store/types.js';
import { checkDefinitionSet, storedDefinitionSet } from './check.js';

/**
 * Loads `SPOOR_DEFINITIONS` at start-up: a JSON file `{ "tags": { key: … }, "segments": { … } }`.
 * Each definition in it becomes the current version (a new version only where it differs);
 * definitions made through the API and absent from the file stay. Anything wrong — unreadable,
 * not JSON, a definition that does not validate, a reference to nothing — stops start-up with
 * one message naming every fault.
 */
export async function loadDefinitionsFile(
  store: EventStore,
  path: string,
  now = Date.now(),
): Promise<{ tags: number; segments: number; changed: number }> {
  const fail = (why: string) => new Error(`SPOOR_DEFINITIONS (${path}): ${why}`);
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw fail(error instanceof SyntaxError ? `not JSON: ${error.message}` : String(error));
  }
  const parsed = DefinitionsFileSchema.safeParse(value);
  if (!parsed.success) {
    throw fail(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  const tags = parsed.data.tags ?? {};
  const segments = parsed.data.segments ?? {};
  const set = await storedDefinitionSet(store);
  Object.assign(set.tags, tags);
  Object.assign(set.segments, segments);
  const errors = checkDefinitionSet(set);
  if (errors.length > 0) throw fail(errors.join('; '));
  let changed = 0;
  const destinations = parsed.data.destinations ?? {};
  for (const [key, destination] of Object.entries(destinations)) {
    for (const [i, segment] of (destination.segments ?? []).entries()) {
      if (!(segment in set.segments)) {
        throw fail(`destinations.${key}.segments.${i}: unknown segment "${segment}"`);
      }
    }
  }
  for (const [kind, defs] of [
    ['tag', tags],
    ['segment', segments],
    ['destination', destinations],
  ] as const) {
    for (const [key, definition] of Object.entries(defs)) {
      const stored = await store.putDefinition(kind, key, JSON.stringify(definition), now);
      if (stored.changed) changed++;
    }
  }
  return { tags: Object.keys(tags).length, segments: Object.keys(segments).length, changed };
}
