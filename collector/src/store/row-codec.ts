import type { EventRow } from './types.js';

/**
 * Rows packed for the trip to the storage worker: every string field concatenated into one
 * string, with lengths and numbers in typed arrays that are transferred, not copied. Cloning
 * thousands of small row objects costs the event loop several microseconds per row; one large
 * string costs a single copy.
 */
export interface PackedRows {
  count: number;
  text: string;
  /** Per row, the length of each field in {@link STRING_FIELDS}; -1 for null. */
  lengths: Int32Array<ArrayBuffer>;
  /** Per row: timestamp, receivedAt. */
  numbers: Float64Array<ArrayBuffer>;
}

const STRING_FIELDS = [
  'source',
  'messageId',
  'fingerprint',
  'type',
  'name',
  'anonymousId',
  'userId',
  'payload',
] as const;
const WIDTH = STRING_FIELDS.length;

/** Packs rows; the typed arrays' buffers may be transferred. */
export function packRows(rows: readonly EventRow[]): PackedRows {
  const parts: string[] = [];
  const lengths = new Int32Array(rows.length * WIDTH);
  const numbers = new Float64Array(rows.length * 2);
  let l = 0;
  let n = 0;
  const add = (value: string | null) => {
    if (value === null) {
      lengths[l++] = -1;
    } else {
      lengths[l++] = value.length;
      parts.push(value);
    }
  };
  // Field by field, in STRING_FIELDS order: explicit property reads keep this loop monomorphic.
  for (const row of rows) {
    add(row.source);
    add(row.messageId);
    add(row.fingerprint);
    add(row.type);
    add(row.name);
    add(row.anonymousId);
    add(row.userId);
    add(row.payload);
    numbers[n++] = row.timestamp;
    numbers[n++] = row.receivedAt;
  }
  return { count: rows.length, text: parts.join(''), lengths, numbers };
}

/** Unpacks rows packed by {@link packRows}. */
export function unpackRows(packed: PackedRows): EventRow[] {
  const rows: EventRow[] = [];
  let offset = 0;
  const next = (i: number): string | null => {
    const length = packed.lengths[i] ?? -1;
    if (length < 0) return null;
    offset += length;
    return packed.text.slice(offset - length, offset);
  };
  for (let r = 0; r < packed.count; r++) {
    const b = r * WIDTH;
    rows.push({
      source: next(b) ?? '',
      messageId: next(b + 1) ?? '',
      fingerprint: next(b + 2) ?? '',
      type: next(b + 3) ?? '',
      name: next(b + 4),
      anonymousId: next(b + 5),
      userId: next(b + 6),
      payload: next(b + 7) ?? '',
      timestamp: packed.numbers[r * 2] ?? 0,
      receivedAt: packed.numbers[r * 2 + 1] ?? 0,
    });
  }
  return rows;
}
