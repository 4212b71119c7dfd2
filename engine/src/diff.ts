// diff(): what changed between two evaluations, as the events the collector emits.
import type { TagValue } from './context.js';
import type { Truth } from './truth.js';

/** A change in a profile's tags or memberships. */
export interface Change {
  kind: 'segment_entered' | 'segment_exited' | 'tag_changed';
  key: string;
  /** A tag's values, or a segment's memberships (true, false, 'unknown'). */
  from: TagValue;
  to: TagValue;
}

/** Results to compare: an `Evaluation`, or the stored results of one. */
export interface Results {
  tags?: Readonly<Record<string, TagValue>>;
  segments?: Readonly<Record<string, Truth>>;
}

/**
 * The changes from `before` to `after`, tags first, each in `after`'s key order.
 *
 * Membership is being true: entering is becoming true, exiting is ceasing to be true (to false
 * or to unknown). Between false and unknown nothing is emitted: a profile was out and stays out.
 * A tag changes when its value does, unknown (`null`) included. Only keys present in `after`
 * are compared, so a partial evaluation (`only`) can be diffed against a full one; a key new in
 * `after` is compared with unknown (a new segment's members enter). Definitions deleted since
 * `before` are for the caller to close out.
 */
export function diff(before: Results, after: Results): Change[] {
  const changes: Change[] = [];
  for (const [key, to] of Object.entries(after.tags ?? {})) {
    const from = read(before.tags, key) ?? null;
    if (from !== to) changes.push({ kind: 'tag_changed', key, from, to });
  }
  for (const [key, to] of Object.entries(after.segments ?? {})) {
    const from = read(before.segments, key) ?? 'unknown';
    if ((from === true) === (to === true)) continue;
    changes.push({ kind: to === true ? 'segment_entered' : 'segment_exited', key, from, to });
  }
  return changes;
}

function read<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
