import { describe, expect, it } from 'vitest';
import type { TagValue } from './context.js';
import { diff, type Change } from './diff.js';
import type { Truth } from './truth.js';

const U = 'unknown';

describe('diff: memberships', () => {
  it.each<[Truth | undefined, Truth, Change['kind'] | null]>([
    [undefined, true, 'segment_entered'],
    [U, true, 'segment_entered'],
    [false, true, 'segment_entered'],
    [true, true, null],
    [true, false, 'segment_exited'],
    [true, U, 'segment_exited'],
    [false, U, null],
    [U, false, null],
    [false, false, null],
    [U, U, null],
    [undefined, false, null],
    [undefined, U, null],
  ])('%s → %s: %s', (from, to, kind) => {
    const before = from === undefined ? {} : { segments: { s: from } };
    const expected = kind === null ? [] : [{ kind, key: 's', from: from ?? U, to }];
    expect(diff(before, { segments: { s: to } })).toEqual(expected);
  });
});

describe('diff: tags', () => {
  it.each<[TagValue | undefined, TagValue, boolean]>([
    [1, 2, true],
    [1, 1, false],
    [null, 'a', true],
    ['a', null, true],
    [null, null, false],
    [undefined, 3, true],
    [undefined, null, false],
    [1, '1', true],
    [true, true, false],
    [false, 0, true],
  ])('%j → %j changed: %s', (from, to, changed) => {
    const before = from === undefined ? {} : { tags: { t: from } };
    const expected = changed ? [{ kind: 'tag_changed', key: 't', from: from ?? null, to }] : [];
    expect(diff(before, { tags: { t: to } })).toEqual(expected);
  });
});

describe('diff: partial results', () => {
  it('compares only what the later evaluation has, tags first', () => {
    const before = { tags: { a: 1, b: 2 }, segments: { x: true, y: true } };
    const after = { tags: { b: 3 }, segments: { y: false } };
    expect(diff(before, after)).toEqual([
      { kind: 'tag_changed', key: 'b', from: 2, to: 3 },
      { kind: 'segment_exited', key: 'y', from: true, to: false },
    ]);
  });

  it('reads nothing inherited from a plain object', () => {
    expect(diff({}, { segments: { constructor: true }, tags: { toString: 1 } })).toEqual([
      { kind: 'tag_changed', key: 'toString', from: null, to: 1 },
      { kind: 'segment_entered', key: 'constructor', from: U, to: true },
    ]);
  });
});
