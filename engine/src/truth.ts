// Kleene's three-valued logic. What cannot be known (a missing trait, a tag without a value, a
// value of the wrong type) is 'unknown' rather than false, so that NOT of it is not true: "not
// (age ≥ 30)" must not select everyone whose age nobody knows.

/** True, false, or unknown. A profile is a member of a segment only when its rule is true. */
export type Truth = boolean | 'unknown';

/** Kleene NOT: unknown stays unknown. */
export function not(value: Truth): Truth {
  return value === 'unknown' ? 'unknown' : !value;
}

/** Kleene AND: false if any is false, else unknown if any is unknown, else true. */
export function and(a: Truth, b: Truth): Truth {
  if (a === false || b === false) return false;
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return true;
}

/** Kleene OR: true if any is true, else unknown if any is unknown, else false. */
export function or(a: Truth, b: Truth): Truth {
  if (a === true || b === true) return true;
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return false;
}
