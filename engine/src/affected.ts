// Which definitions a change can affect, in evaluation order.
import type { Compiled } from './compiled.js';

/** Tags and segments to re-evaluate, in evaluation order. */
export interface Affected {
  tags: string[];
  segments: string[];
}

/** What changed for a profile outside its events' state. */
export interface Changes {
  /** Event names (`$identify` … for calls other than track). */
  events?: readonly string[];
  /** Trait paths set or removed (`address.city`; a top-level name covers all below it). */
  traits?: readonly string[];
  /** Tags whose stored value changed (imported values set through the API). */
  tags?: readonly string[];
  /** Segments whose membership changed. */
  segments?: readonly string[];
}

/**
 * The definitions that depend, directly or through others, on anything in `changes`, and the
 * changed tags and segments themselves. A trait path matches by its first part, so
 * `address.city` affects a definition reading `address.zip`: more than needed, never less.
 */
export function affectedBy(compiled: Compiled, changes: Changes): Affected {
  const { dependents } = compiled;
  const positions = new Set<number>();
  const add = (map: ReadonlyMap<string, readonly number[]>, keys: readonly string[] = []) => {
    for (const key of keys) for (const i of map.get(key) ?? []) positions.add(i);
  };
  add(dependents.events, changes.events);
  add(
    dependents.traits,
    changes.traits?.map((path) => path.split('.')[0] ?? path),
  );
  add(dependents.tags, changes.tags);
  add(dependents.segments, changes.segments);
  return affectedAt(compiled, positions);
}

/** The definitions at `positions` of the evaluation order, split by kind, in that order. */
export function affectedAt(compiled: Compiled, positions: Iterable<number>): Affected {
  const affected: Affected = { tags: [], segments: [] };
  for (const i of [...positions].sort((a, b) => a - b)) {
    const ref = compiled.order[i];
    if (ref) (ref.kind === 'tag' ? affected.tags : affected.segments).push(ref.key);
  }
  return affected;
}
