import { describe, expect, it } from 'vitest';
import { decodeScalar, encodeScalar, getPath, isScalar, type Scalar } from './fields.js';

describe('getPath', () => {
  const inherited = Object.create({ x: 1 }) as Record<string, unknown>;
  it.each<[unknown, string, unknown]>([
    [{ a: { b: 1 } }, 'a.b', 1],
    [{ a: { b: 1 } }, 'a', { b: 1 }],
    [{ a: { b: 1 } }, 'a.c', undefined],
    [{ a: [{ b: 1 }] }, 'a.b', undefined],
    [{ a: null }, 'a', null],
    [{ a: null }, 'a.b', undefined],
    [{ a: 'text' }, 'a.length', undefined],
    [{}, 'toString', undefined],
    [{}, 'constructor', undefined],
    [inherited, 'x', undefined],
    [null, 'a', undefined],
    [undefined, 'a', undefined],
  ])('%j at %s is %j', (source, path, expected) => {
    expect(getPath(source, path.split('.'))).toEqual(expected);
  });
});

describe('scalars', () => {
  it.each<[unknown, boolean]>([
    ['', true],
    [0, true],
    [false, true],
    [Number.NaN, false],
    [Number.POSITIVE_INFINITY, false],
    [null, false],
    [[], false],
    [{}, false],
  ])('isScalar(%j) is %s', (value, expected) => {
    expect(isScalar(value)).toBe(expected);
  });

  it.each<Scalar>(['x', '', '42', 42, 0, -1.5, 1e21, true, false])(
    '%j survives encoding',
    (value) => {
      expect(decodeScalar(encodeScalar(value))).toBe(value);
    },
  );

  it('keeps the type: the string "42" is not the number 42', () => {
    expect(encodeScalar('42')).not.toBe(encodeScalar(42));
    expect(encodeScalar('true')).not.toBe(encodeScalar(true));
  });
});
