// Who depends on what, transitively: so that an event re-evaluates only the definitions it can
// change, and evaluating one definition evaluates what it reads first.
import type { Compiled, Dependencies, StreamPlan } from './compiled.js';
import { nameOf, type GraphNode } from './graph.js';
import type { DirectDependencies } from './plan-condition.js';

interface Transitive {
  streams: Set<string>;
  traits: Set<string>;
  tags: Set<string>;
  segments: Set<string>;
  closure: Set<number>;
}

type Index = Pick<Compiled, 'dependencies' | 'positions' | 'closure' | 'dependents'>;

/** The dependency index of definitions in evaluation `order`, given what each reads directly. */
export function indexDependencies(
  order: readonly GraphNode[],
  direct: ReadonlyMap<string, DirectDependencies>,
  streams: ReadonlyMap<string, StreamPlan>,
): Index {
  const position = new Map(order.map((node, i) => [nameOf(node.ref), i]));
  const all: Transitive[] = [];
  order.forEach((node, i) => {
    const own = direct.get(nameOf(node.ref));
    const t: Transitive = {
      streams: new Set(own?.streams),
      traits: new Set(own?.traits),
      tags: new Set(own?.tags.keys()),
      segments: new Set(own?.segments.keys()),
      closure: new Set([i]),
    };
    for (const read of node.reads) {
      const from = all[position.get(nameOf(read.ref)) ?? -1];
      if (from === undefined) continue;
      addAll(t.streams, from.streams);
      addAll(t.traits, from.traits);
      addAll(t.tags, from.tags);
      addAll(t.segments, from.segments);
      addAll(t.closure, from.closure);
    }
    all.push(t);
  });

  const dependencies = {
    tags: {} as Record<string, Dependencies>,
    segments: {} as Record<string, Dependencies>,
  };
  const dependents = {
    streams: new Map<string, number[]>(),
    events: new Map<string, number[]>(),
    traits: new Map<string, number[]>(),
    tags: new Map<string, number[]>(),
    segments: new Map<string, number[]>(),
  };
  const add = (map: Map<string, number[]>, key: string, i: number) => {
    const list = map.get(key) ?? [];
    if (list[list.length - 1] !== i) list.push(i);
    map.set(key, list);
  };
  order.forEach((node, i) => {
    const t = all[i] as Transitive;
    const events = [...t.streams].map((key) => streams.get(key)?.match.event ?? '');
    const sorted = (items: Iterable<string>) => [...new Set(items)].sort();
    const deps: Dependencies = {
      events: sorted(events),
      traits: sorted(t.traits),
      tags: sorted(t.tags),
      segments: sorted(t.segments),
    };
    (node.ref.kind === 'tag' ? dependencies.tags : dependencies.segments)[node.ref.key] = deps;
    for (const stream of t.streams) add(dependents.streams, stream, i);
    for (const event of deps.events) add(dependents.events, event, i);
    for (const trait of deps.traits) add(dependents.traits, trait.split('.')[0] ?? trait, i);
    for (const tag of deps.tags) add(dependents.tags, tag, i);
    for (const segment of deps.segments) add(dependents.segments, segment, i);
    add(node.ref.kind === 'tag' ? dependents.tags : dependents.segments, node.ref.key, i);
  });
  const closure = all.map((t) => [...t.closure].sort((a, b) => a - b));
  const positions = { tags: new Map<string, number>(), segments: new Map<string, number>() };
  order.forEach((node, i) =>
    (node.ref.kind === 'tag' ? positions.tags : positions.segments).set(node.ref.key, i),
  );
  return { dependencies, positions, closure, dependents };
}

function addAll<T>(into: Set<T>, from: ReadonlySet<T>): void {
  for (const item of from) into.add(item);
}
