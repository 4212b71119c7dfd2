import { describe, expect, it } from 'vitest';
import { packRows, transferList, unpackRows } from './row-codec.js';
import type { EventRow } from './types.js';

const row = (overrides: Partial<EventRow>): EventRow => ({
  source: 'web',
  messageId: 'm',
  fingerprint: 'f',
  type: 'track',
  name: null,
  anonymousId: null,
  userId: null,
  timestamp: 1,
  receivedAt: 2,
  payload: '{}',
  identifiers: null,
  channel: 'web',
  ops: null,
  purchase: false,
  ...overrides,
});

/** Unpacked payloads are UTF-8 views; compare them as text. */
const decoded = (rows: EventRow[]) =>
  rows.map((r) => ({
    ...r,
    payload: typeof r.payload === 'string' ? r.payload : Buffer.from(r.payload).toString('utf8'),
  }));

describe('row codec', () => {
  it('round-trips rows with nulls, empty strings, non-ASCII text and large numbers', () => {
    const rows = [
      row({}),
      row({
        name: '',
        anonymousId: '匿名-😀',
        userId: 'u"1\\',
        payload: '{"a":"标签\\n"}',
        timestamp: 1.7e12,
        receivedAt: Number.MAX_SAFE_INTEGER,
      }),
      row({ source: 'server', messageId: 'x'.repeat(255), name: 'Order Completed', userId: '' }),
    ];
    expect(decoded(unpackRows(packRows(rows)))).toEqual(rows);
  });

  it('packs nothing into nothing', () => {
    expect(unpackRows(packRows([]))).toEqual([]);
  });

  it('survives a structured clone with its buffers transferred', () => {
    const rows = [row({ name: 'n' }), row({ userId: 'u' })];
    const packed = packRows(rows);
    const copy = structuredClone(packed, { transfer: transferList(packed) });
    expect(decoded(unpackRows(copy))).toEqual(rows);
  });
});
