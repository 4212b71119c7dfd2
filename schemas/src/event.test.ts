import { describe, expect, it } from 'vitest';
import { validateEvent } from './event.js';
import { INVALID_EVENTS, VALID_EVENTS } from './event.fixtures.js';

describe('validateEvent', () => {
  it.each(VALID_EVENTS)('accepts %s', (_name, event) => {
    const result = validateEvent(event);
    expect(result.ok).toBe(true);
  });

  it.each(INVALID_EVENTS)('rejects %s', (_name, event, code, path) => {
    const result = validateEvent(event);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toContainEqual(expect.objectContaining({ code, path }));
  });

  it('keeps unknown fields at every level', () => {
    const result = validateEvent(VALID_EVENTS.find(([n]) => n === 'unknown fields kept')![1]);
    expect(result.ok && result.value).toMatchObject({
      custom: { a: 1 },
      context: { extra: true, page: { more: 1 } },
    });
  });
});
