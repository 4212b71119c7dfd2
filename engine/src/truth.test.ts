import { describe, expect, it } from 'vitest';
import { and, not, or, type Truth } from './truth.js';

const U = 'unknown';

describe("Kleene's three-valued logic", () => {
  it.each<[Truth, Truth, Truth, Truth]>([
    // a, b, a AND b, a OR b
    [true, true, true, true],
    [true, false, false, true],
    [true, U, U, true],
    [false, true, false, true],
    [false, false, false, false],
    [false, U, false, U],
    [U, true, U, true],
    [U, false, false, U],
    [U, U, U, U],
  ])('%s, %s: AND %s, OR %s', (a, b, conjunction, disjunction) => {
    expect(and(a, b)).toBe(conjunction);
    expect(or(a, b)).toBe(disjunction);
  });

  it.each<[Truth, Truth]>([
    [true, false],
    [false, true],
    [U, U],
  ])('NOT %s is %s', (a, negation) => {
    expect(not(a)).toBe(negation);
  });
});
