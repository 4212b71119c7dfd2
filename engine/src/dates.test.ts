import { describe, expect, it } from 'vitest';
import { parseIsoDate, toTime } from './dates.js';
import { at } from './test-kit/index.js';

const CHINA = 480 * 60_000;

describe('parseIsoDate', () => {
  it.each<[string, number, string, boolean]>([
    ['2024-05-01', 0, '2024-05-01T00:00:00Z', true],
    ['2024-05-01', CHINA, '2024-04-30T16:00:00Z', true],
    ['2024-02-29', 0, '2024-02-29T00:00:00Z', true],
    ['2024-05-01T08:30:00+08:00', 0, '2024-05-01T00:30:00Z', false],
    ['2024-05-01T08:30:00-0500', 0, '2024-05-01T13:30:00Z', false],
    ['2024-05-01T08:30:00Z', CHINA, '2024-05-01T08:30:00Z', false],
    ['2024-05-01t08:30:00z', CHINA, '2024-05-01T08:30:00Z', false],
    ['2024-05-01T08:30:00', CHINA, '2024-05-01T00:30:00Z', false],
    ['2024-05-01T08:30', 0, '2024-05-01T08:30:00Z', false],
    ['2024-05-01 08:30:00Z', 0, '2024-05-01T08:30:00Z', false],
    ['2024-05-01T08:30:00.5Z', 0, '2024-05-01T08:30:00.500Z', false],
    ['2024-05-01T08:30:00.123456Z', 0, '2024-05-01T08:30:00.123Z', false],
    ['2024-05-01T23:59:59.999Z', 0, '2024-05-01T23:59:59.999Z', false],
  ])('reads %s (offset %i) as %s', (text, offset, expected, dateOnly) => {
    expect(parseIsoDate(text, offset)).toEqual({ time: at(expected), dateOnly });
  });

  it('reads years before 100 as such, not as 19xx', () => {
    expect(parseIsoDate('0099-01-01', 0)?.time).toBe(Date.parse('0099-01-01T00:00:00Z'));
    expect(new Date(parseIsoDate('0099-01-01', 0)?.time ?? 0).getUTCFullYear()).toBe(99);
  });

  it.each([
    '2024-02-30',
    '2023-02-29',
    '2024-13-01',
    '2024-00-10',
    '2024-05-01T24:00:00Z',
    '2024-05-01T08:60Z',
    '2024-05-01T08:30:60Z',
    '2024-05-01T08:30:00+8',
    '2024-5-1',
    '20240501',
    'May 1, 2024',
    '',
  ])('rejects %j', (text) => {
    expect(parseIsoDate(text, 0)).toBeUndefined();
  });
});

describe('toTime', () => {
  it.each<[unknown, number | undefined]>([
    [1_714_521_600_000, 1_714_521_600_000],
    [0, 0],
    [-1, -1],
    [Number.NaN, undefined],
    [Number.POSITIVE_INFINITY, undefined],
    ['2024-05-01T00:00:00Z', at('2024-05-01T00:00:00Z')],
    ['not a date', undefined],
    [true, undefined],
    [null, undefined],
    [undefined, undefined],
    [{ time: 1 }, undefined],
    [[1], undefined],
  ])('%j → %j', (value, expected) => {
    expect(toTime(value, 0)).toBe(expected);
  });
});
