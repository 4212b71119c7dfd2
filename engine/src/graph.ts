// The evaluation order of a definition set, and its cycles. Tags read tags (models), segments
// read tags and segments, rules-model tags may read segments: any of these may loop, and a loop
// has no value, so it is a compile error reported at the reference that closes it.
import type { DefinitionRef } from './compiled.js';
import type { CompileError } from './plan-condition.js';

/** A definition and the definitions it reads, each with where it is named. */
export interface GraphNode {
  ref: DefinitionRef;
  reads: { ref: DefinitionRef; path: string }[];
}

/** `tags.x` / `segments.y`: how errors name a definition. */
export function nameOf(ref: DefinitionRef): string {
  return `${ref.kind === 'tag' ? 'tags' : 'segments'}.${ref.key}`;
}

/**
 * The nodes in dependency order (what a node reads comes before it), stable with respect to the
 * input order, and one error per cycle found.
 */
export function orderNodes(nodes: readonly GraphNode[]): {
  order: GraphNode[];
  errors: CompileError[];
} {
  const byName = new Map(nodes.map((node) => [nameOf(node.ref), node]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const order: GraphNode[] = [];
  const errors: CompileError[] = [];
  const visit = (node: GraphNode): void => {
    const name = nameOf(node.ref);
    state.set(name, 'visiting');
    stack.push(name);
    for (const read of node.reads) {
      const target = nameOf(read.ref);
      const next = byName.get(target);
      if (next === undefined) continue; // an unknown reference, reported where it was compiled
      const seen = state.get(target);
      if (seen === 'visiting') {
        const loop = [...stack.slice(stack.indexOf(target)), target];
        errors.push({ path: read.path, message: `cycle: ${loop.join(' → ')}` });
      } else if (seen === undefined) {
        visit(next);
      }
    }
    stack.pop();
    state.set(name, 'done');
    order.push(node);
  };
  for (const node of nodes) if (!state.has(nameOf(node.ref))) visit(node);
  return { order, errors };
}
