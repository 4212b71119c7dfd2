// RFM models read other tags: recency a time, frequency and monetary numbers. A model pointed at
// a tag that can never hold such a value would be unknown for everyone, silently; the compiler
// says so instead, at the reference.
import type { TagDefinition } from '@spoor/schemas';
import type { CompileError } from './plan-condition.js';

/** What a tag's values are, as far as its definition tells. */
type ValueKind = 'count' | 'number' | 'time' | 'text' | 'boolean' | 'label' | 'any';

const DESCRIBED: Record<ValueKind, string> = {
  count: 'a count or sum',
  number: 'a number',
  time: 'a time',
  text: 'text',
  boolean: 'a boolean',
  label: 'a label',
  any: 'any value',
};

function valueKind(tag: TagDefinition): ValueKind {
  if (tag.kind === 'imported') {
    return tag.valueType === 'string' ? 'text' : tag.valueType;
  }
  if (tag.kind === 'fact') {
    if (['count', 'sum', 'avg', 'distinct_count'].includes(tag.aggregate)) return 'count';
    if (tag.aggregate === 'min' || tag.aggregate === 'max') return 'number';
    if (tag.aggregate === 'first_time' || tag.aggregate === 'last_time') return 'time';
    return 'any';
  }
  if (tag.model.type !== 'rules') return 'label';
  const values = [...tag.model.rules.map((rule) => rule.value), tag.model.otherwise];
  const types = new Set(values.filter((v) => v !== undefined).map((v) => typeof v));
  if (types.size !== 1) return 'any';
  return types.has('number') ? 'number' : types.has('string') ? 'text' : 'boolean';
}

/** Kinds each score cannot use. A date may arrive as text (ISO-8601) or a number (epoch ms). */
const REJECTED = {
  recency: ['count', 'boolean', 'label'],
  frequency: ['time', 'text', 'boolean', 'label'],
  monetary: ['time', 'text', 'boolean', 'label'],
} as const satisfies Record<string, readonly ValueKind[]>;

/** Errors for the RFM model of tag `key` reading tags of the wrong kind. */
export function rfmInputErrors(key: string, tags: Record<string, TagDefinition>): CompileError[] {
  const tag = tags[key];
  if (tag?.kind !== 'model' || tag.model.type !== 'rfm') return [];
  const model = tag.model;
  const errors: CompileError[] = [];
  for (const score of ['recency', 'frequency', 'monetary'] as const) {
    const input = tags[model[score].tag];
    if (input === undefined) continue;
    const kind = valueKind(input);
    if (!(REJECTED[score] as readonly ValueKind[]).includes(kind)) continue;
    const wanted = score === 'recency' ? 'a time (a first_time or last_time tag)' : 'a number';
    errors.push({
      path: `tags.${key}.model.${score}.tag`,
      message: `${score} reads ${wanted}; "${model[score].tag}" holds ${DESCRIBED[kind]}`,
    });
  }
  return errors;
}
