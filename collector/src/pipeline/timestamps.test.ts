import { describe, expect, it } from 'vitest';
import { correctTimestamp, parseTime } from './timestamps.js';

const received = Date.parse('2026-11-22T08:00:00.000Z');
const hour = 3600_000;

describe('correctTimestamp', () => {
  it.each([
    ['a device clock one hour slow', received - hour - 5000, received - hour, received - 5000],
    ['a device clock one hour fast', received + hour - 5000, received + hour, received - 5000],
    ['an accurate clock', received - 5000, received, received - 5000],
    [
      'a historical import sent now',
      received - 30 * 24 * hour,
      received,
      received - 30 * 24 * hour,
    ],
  ])('corrects %s', (_name, original, sentAt, expected) => {
    expect(correctTimestamp({ original, sentAt, receivedAt: received })).toBe(expected);
  });

  it('trusts the given time when there is no send time', () => {
    expect(
      correctTimestamp({ original: received - hour, sentAt: null, receivedAt: received }),
    ).toBe(received - hour);
  });

  it('uses the receipt time when the event has no time', () => {
    expect(
      correctTimestamp({ original: null, sentAt: received - hour, receivedAt: received }),
    ).toBe(received);
  });
});

describe('parseTime', () => {
  it.each([
    [undefined, null],
    ['2026-11-22T16:00:00+08:00', received],
    ['2026-11-22T08:00:00.000Z', received],
  ])('%s → %s', (text, ms) => expect(parseTime(text)).toBe(ms));
});
