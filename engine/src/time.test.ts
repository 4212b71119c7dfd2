import { describe, expect, it } from 'vitest';
import { at, days, hours, minutes } from './test-kit/index.js';
import { bucketOf, bucketStart, inWindow, leavesWindowAt, windowStart } from './time.js';
import type { Duration } from '@spoor/schemas';

const CHINA = 480 * 60_000;
const INDIA = 330 * 60_000;
const NEW_YORK = -300 * 60_000;

describe('windowStart: whole calendar buckets, the current one and the N − 1 before', () => {
  it.each<[string, Duration, number, string]>([
    ['2024-05-15T12:00:00Z', days(1), 0, '2024-05-15T00:00:00Z'],
    ['2024-05-15T12:00:00Z', days(30), 0, '2024-04-16T00:00:00Z'],
    ['2024-05-15T00:00:00Z', days(1), 0, '2024-05-15T00:00:00Z'],
    ['2024-05-14T23:59:59.999Z', days(1), 0, '2024-05-14T00:00:00Z'],
    ['2024-05-15T12:00:00Z', days(1), CHINA, '2024-05-14T16:00:00Z'],
    ['2024-05-15T15:59:59.999Z', days(1), CHINA, '2024-05-14T16:00:00Z'],
    ['2024-05-15T16:00:00Z', days(1), CHINA, '2024-05-15T16:00:00Z'],
    ['2024-05-15T16:00:00Z', days(7), CHINA, '2024-05-09T16:00:00Z'],
    ['2024-05-15T03:00:00Z', days(1), NEW_YORK, '2024-05-14T05:00:00Z'],
    ['2024-05-15T12:30:00Z', hours(2), 0, '2024-05-15T11:00:00Z'],
    ['2024-05-15T12:00:00Z', hours(1), INDIA, '2024-05-15T11:30:00Z'],
    ['2024-05-15T12:00:00Z', hours(1), CHINA, '2024-05-15T12:00:00Z'],
    ['2024-05-15T12:00:30Z', minutes(5), 0, '2024-05-15T11:56:00Z'],
  ])('at %s, %j with offset %i ms starts at %s', (now, window, offset, start) => {
    expect(windowStart(at(now), window, offset)).toBe(at(start));
  });
});

describe('inWindow and leavesWindowAt agree at every edge', () => {
  it.each<[string, Duration, number]>([
    ['2024-05-15T10:00:00Z', days(1), 0],
    ['2024-05-15T00:00:00Z', days(30), 0],
    ['2024-05-15T23:59:59.999Z', days(7), CHINA],
    ['2024-05-15T15:59:59.999Z', days(1), CHINA],
    ['2024-05-15T16:00:00Z', days(1), CHINA],
    ['2024-05-15T10:17:00Z', hours(3), INDIA],
    ['2024-05-15T10:17:59.999Z', minutes(10), 0],
  ])('an event at %s in %j (offset %i)', (time, window, offset) => {
    const t = at(time);
    const leaves = leavesWindowAt(t, window, offset);
    expect(inWindow(t, t, window, offset)).toBe(true);
    expect(inWindow(t, leaves - 1, window, offset)).toBe(true);
    expect(inWindow(t, leaves, window, offset)).toBe(false);
    expect(windowStart(leaves, window, offset)).toBe(leaves - (window.last - 1) * unitMs(window));
  });

  it.each<[string, Duration, number, string]>([
    ['2024-05-15T10:00:00Z', days(1), 0, '2024-05-16T00:00:00Z'],
    ['2024-05-15T10:00:00Z', days(30), 0, '2024-06-14T00:00:00Z'],
    ['2024-05-15T10:00:00Z', days(1), CHINA, '2024-05-15T16:00:00Z'],
    ['2024-05-15T17:00:00Z', days(1), CHINA, '2024-05-16T16:00:00Z'],
    ['2024-05-15T10:59:59.999Z', hours(1), 0, '2024-05-15T11:00:00Z'],
  ])('%s leaves %j (offset %i) at %s', (time, window, offset, leaves) => {
    expect(leavesWindowAt(at(time), window, offset)).toBe(at(leaves));
  });

  it('counts an event dated after now (a skewed clock) as inside', () => {
    const now = at('2024-05-15T12:00:00Z');
    expect(inWindow(now + 60_000, now, days(1), 0)).toBe(true);
  });

  it('cuts buckets at local midnight, also before 1970', () => {
    const t = at('1969-12-31T15:59:59.999Z');
    expect(bucketOf(t, 'days', CHINA)).toBe(-1);
    expect(bucketOf(t + 1, 'days', CHINA)).toBe(0);
    expect(bucketStart(0, 'days', CHINA)).toBe(t + 1);
  });
});

function unitMs(window: Duration): number {
  return { minutes: 60_000, hours: 3_600_000, days: 86_400_000 }[window.unit];
}
