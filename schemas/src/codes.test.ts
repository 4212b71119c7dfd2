import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENT_ERRORS, REQUEST_ERRORS } from './codes.js';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const documented = (section: string) => {
  const body = doc.split(`## ${section}`)[1]?.split('\n## ')[0] ?? '';
  return [...body.matchAll(/^\| `([a-z0-9_]+)`\s*\|(?:\s*(\d{3})\s*\|)?/gm)].map((m) => [
    m[1],
    m[2],
  ]);
};

describe('error code registry', () => {
  it('docs/errors.md lists every request error with its status, and nothing else', () => {
    const expected = Object.entries(REQUEST_ERRORS).map(([code, { status }]) => [
      code,
      String(status),
    ]);
    expect(documented('Request errors').sort()).toEqual(expected.sort());
  });

  it('docs/errors.md lists every event error, and nothing else', () => {
    expect(
      documented('Event errors')
        .map(([code]) => code)
        .sort(),
    ).toEqual(Object.keys(EVENT_ERRORS).sort());
  });
});
