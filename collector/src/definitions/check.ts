import { compile } from '@spoor/engine';
import type { SegmentDefinition, TagDefinition } from '@spoor/schemas';
import type { EventStore } from '../store/types.js';

/** Every tag and segment definition, by key. */
export interface DefinitionSet {
  tags: Record<string, TagDefinition>;
  segments: Record<string, SegmentDefinition>;
}

/**
 * What is wrong with the set as a whole — a definition naming a tag or segment that does not
 * exist, a cycle — as `path: message` lines; empty when it compiles.
 */
export function checkDefinitionSet(set: DefinitionSet): string[] {
  const result = compile(set);
  return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
}

/** The stored definitions as one set (their bodies were validated when stored). */
export async function storedDefinitionSet(store: EventStore): Promise<DefinitionSet> {
  const set: DefinitionSet = { tags: {}, segments: {} };
  for (const record of await store.listDefinitions()) {
    if (record.body === null) continue;
    const parsed: unknown = JSON.parse(record.body);
    if (record.kind === 'tag') set.tags[record.key] = parsed as TagDefinition;
    if (record.kind === 'segment') set.segments[record.key] = parsed as SegmentDefinition;
  }
  return set;
}
