// compile(): a definition set checked as a whole (references, cycles, RFM inputs) and turned into
// the plan the rest of the engine runs. Each definition's own shape is the schemas' business and
// already validated by the caller; what only the whole set can tell is checked here.
import type { SegmentDefinition, TagDefinition } from '@spoor/schemas';
import type { Compiled, Plan, StreamPlan, TagPlan } from './compiled.js';
import { indexDependencies } from './dependency-index.js';
import { orderNodes, type GraphNode } from './graph.js';
import {
  noDependencies,
  planCondition,
  type CompileError,
  type DirectDependencies,
  type PlanContext,
} from './plan-condition.js';
import { planTag } from './plan-tag.js';
import { rfmInputErrors } from './rfm-inputs.js';
import { createStreamRegistry } from './stream-registry.js';

/** A definition set: tags and segments by key, as validated by `@spoor/schemas`. */
export interface Definitions {
  tags?: Record<string, TagDefinition>;
  segments?: Record<string, SegmentDefinition>;
}

/** How to compile. */
export interface CompileOptions {
  /**
   * The deployment's offset from UTC in minutes (480 for China), which decides where a day
   * bucket starts: "the last 7 days" are 7 local calendar days. Default 0 (UTC).
   */
  dayOffsetMinutes?: number;
}

/** A compiled set, or every error found in it. */
export type CompileResult =
  { ok: true; compiled: Compiled } | { ok: false; errors: CompileError[] };

/** Checks a definition set as a whole and compiles it. */
export function compile(definitions: Definitions, options: CompileOptions = {}): CompileResult {
  const tags = definitions.tags ?? {};
  const segments = definitions.segments ?? {};
  const errors: CompileError[] = [];
  const offset = options.dayOffsetMinutes ?? 0;
  if (!Number.isInteger(offset) || offset < -720 || offset > 840) {
    errors.push({
      path: 'options.dayOffsetMinutes',
      message: 'an offset from UTC is a whole number of minutes from -720 to 840',
    });
  }
  const registry = createStreamRegistry();
  const context: PlanContext = {
    registry,
    errors,
    tagKeys: new Set(Object.keys(tags)),
    segmentKeys: new Set(Object.keys(segments)),
  };
  const nodes: GraphNode[] = [];
  const direct = new Map<string, DirectDependencies>();
  const node = (kind: 'tag' | 'segment', key: string, deps: DirectDependencies) => {
    direct.set(`${kind === 'tag' ? 'tags' : 'segments'}.${key}`, deps);
    const reads = [
      ...[...deps.tags].map(([tag, path]) => ({ ref: { kind: 'tag' as const, key: tag }, path })),
      ...[...deps.segments].map(([seg, path]) => ({
        ref: { kind: 'segment' as const, key: seg },
        path,
      })),
    ];
    nodes.push({ ref: { kind, key }, reads });
  };

  const tagPlans = new Map<string, TagPlan>();
  for (const [key, tag] of Object.entries(tags)) {
    const deps = noDependencies();
    tagPlans.set(key, planTag(key, tag, context, deps));
    errors.push(...rfmInputErrors(key, tags));
    node('tag', key, deps);
  }
  const segmentPlans = new Map<string, Plan>();
  for (const [key, segment] of Object.entries(segments)) {
    const deps = noDependencies();
    segmentPlans.set(
      key,
      planCondition(segment.condition, `segments.${key}.condition`, context, deps),
    );
    node('segment', key, deps);
  }

  const { order, errors: cycles } = orderNodes(nodes);
  errors.push(...cycles);
  if (errors.length > 0) return { ok: false, errors };

  const streams = registry.plans();
  const streamsByEvent = new Map<string, StreamPlan[]>();
  for (const stream of streams.values()) {
    streamsByEvent.set(stream.match.event, [
      ...(streamsByEvent.get(stream.match.event) ?? []),
      stream,
    ]);
  }
  const compiled: Compiled = {
    offsetMs: offset * 60_000,
    order: order.map((n) => n.ref),
    tags: tagPlans,
    segments: segmentPlans,
    streams,
    streamsByEvent,
    ...indexDependencies(order, direct, streams),
  };
  return { ok: true, compiled };
}
