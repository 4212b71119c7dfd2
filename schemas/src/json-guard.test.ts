import { describe, expect, it } from 'vitest';
import { formatPath, guardJson } from './json-guard.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';

const limits: Limits = {
  ...DEFAULT_LIMITS,
  maxDepth: 4,
  maxKeys: 10,
  maxArrayLength: 5,
  maxStringLength: 20,
};

function nest(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

describe('guardJson size', () => {
  const samples: [string, unknown][] = [
    ['ascii', { a: 'hello', b: [1, 2, 3], c: null, d: true, e: false }],
    ['escapes', { q: 'say "hi"\\', nl: 'a\nb\tc\r\f\b', ctl: '\u0001\u001f' }],
    ['two-byte', { s: 'café ñ' }],
    ['three-byte', { s: '标签 人群' }],
    ['four-byte', { s: '😀 𝄞' }],
    ['unicode keys', { 价格: 28.5 }],
    ['numbers', { a: -0, b: 1e21, c: 0.1, d: -123.456e-7, e: Number.MAX_SAFE_INTEGER }],
    ['empty', { a: {}, b: [], c: '' }],
    ['line separators', { s: '\u2028\u2029' }],
  ];
  it.each(samples)('equals the UTF-8 length of JSON.stringify for %s', (_name, value) => {
    const result = guardJson(value, DEFAULT_LIMITS);
    expect(result).toEqual({ ok: true, value: Buffer.byteLength(JSON.stringify(value)) });
  });
});

describe('guardJson limits', () => {
  const cases: [string, unknown, string, string][] = [
    ['depth over the limit', { a: nest(4) }, 'too_deep', 'a[0][0][0]'],
    [
      'key count over the limit',
      { a: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i])) },
      'too_many_keys',
      'a',
    ],
    [
      'key count summed over levels',
      { a: { b: 1, c: 2, d: 3, e: 4 }, f: { g: 1, h: 2, i: 3, j: 4, k: 5 } },
      'too_many_keys',
      'f',
    ],
    ['array too long', { list: [1, 2, 3, 4, 5, 6] }, 'array_too_long', 'list'],
    ['string too long', { s: 'x'.repeat(21) }, 'string_too_long', 's'],
    ['key too long', { ['k'.repeat(21)]: 1 }, 'string_too_long', 'k'.repeat(21)],
    ['__proto__ key', JSON.parse('{"a":{"__proto__":{"x":1}}}'), 'forbidden_key', 'a.__proto__'],
    [
      'constructor key',
      { properties: { constructor: 1 } },
      'forbidden_key',
      'properties.constructor',
    ],
    ['prototype key', { list: [{ prototype: 1 }] }, 'forbidden_key', 'list[0].prototype'],
    ['lone high surrogate', { s: 'a\ud800b' }, 'invalid_string', 's'],
    ['lone low surrogate', { s: '\udc00' }, 'invalid_string', 's'],
    ['NaN', { n: Number.NaN }, 'invalid_field', 'n'],
    ['Infinity', { n: Number.POSITIVE_INFINITY }, 'invalid_field', 'n'],
    ['undefined', { u: undefined }, 'invalid_field', 'u'],
    ['function', { f: () => 1 }, 'invalid_field', 'f'],
    ['bigint', { b: 1n }, 'invalid_field', 'b'],
  ];
  it.each(cases)('%s', (_name, value, code, path) => {
    const result = guardJson(value, limits);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code, path });
  });

  it('accepts a value exactly at every limit', () => {
    const value = {
      a: nest(3),
      s: 'x'.repeat(20),
      l: [1, 2, 3, 4, 5],
      k: { b: 1, c: 2, d: 3, e: 4, f: 5, g: 6 },
    };
    expect(guardJson(value, limits).ok).toBe(true);
  });

  it('walks 10,000 levels of nesting without overflowing the stack', () => {
    const result = guardJson(nest(10_000), DEFAULT_LIMITS);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('too_deep');
  });
});

describe('formatPath', () => {
  it.each([
    [[], ''],
    [['a', 'b'], 'a.b'],
    [['a', 0, 'b'], 'a[0].b'],
    [['with space', 'ok'], '["with space"].ok'],
    [[3], '[3]'],
  ] as [(string | number)[], string][])('%j → %s', (path, text) =>
    expect(formatPath(path)).toBe(text),
  );
});
