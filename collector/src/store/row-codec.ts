import type { EventRow } from './types.js';

/**
 * Rows packed for the trip to the storage worker. Payloads are written as UTF-8 into one buffer
 * that is transferred, not copied, and SQLite stores those bytes as they are: no JS string is
 * made for a payload on the worker's side. The short fields travel as one joined string.
 * Cloning thousands of row objects instead cost the event loop several microseconds per row.
 */
export interface PackedRows {
  count: number;
  /** The short string fields of every row, concatenated. */
  text: string;
  /** Per row, the length of each short field in text; -1 for null. */
  lengths: Int32Array<ArrayBuffer>;
  /** Per row: timestamp, receivedAt, purchase (1 or 0). */
  numbers: Float64Array<ArrayBuffer>;
  /** Every payload's UTF-8 bytes, back to back. */
  payloads: Uint8Array<ArrayBuffer>;
  /** Per row, where its payload ends in payloads. */
  payloadEnds: Int32Array<ArrayBuffer>;
}

/** The short fields, in packing order. */
const WIDTH = 10;
/** The numeric fields. */
const NUMBERS = 3;

/** Packs rows; {@link transferList} names the buffers to transfer. */
export function packRows(rows: readonly EventRow[]): PackedRows {
  const parts: string[] = [];
  const lengths = new Int32Array(rows.length * WIDTH);
  const numbers = new Float64Array(rows.length * NUMBERS);
  const payloadEnds = new Int32Array(rows.length);
  let l = 0;
  const add = (value: string | null) => {
    lengths[l++] = value === null ? -1 : value.length;
    if (value !== null) parts.push(value);
  };
  let bytes = 0;
  rows.forEach((row, r) => {
    // Explicit property reads keep this loop monomorphic.
    add(row.source);
    add(row.messageId);
    add(row.fingerprint);
    add(row.type);
    add(row.name);
    add(row.anonymousId);
    add(row.userId);
    add(row.identifiers);
    add(row.channel);
    add(row.ops);
    numbers[r * NUMBERS] = row.timestamp;
    numbers[r * NUMBERS + 1] = row.receivedAt;
    numbers[r * NUMBERS + 2] = row.purchase ? 1 : 0;
    bytes += typeof row.payload === 'string' ? Buffer.byteLength(row.payload) : row.payload.length;
    payloadEnds[r] = bytes;
  });
  const payloads = Buffer.from(new ArrayBuffer(bytes));
  let offset = 0;
  for (const row of rows) {
    if (typeof row.payload === 'string') offset += payloads.write(row.payload, offset);
    else offset += (payloads.set(row.payload, offset), row.payload.length);
  }
  return {
    count: rows.length,
    text: parts.join(''),
    lengths,
    numbers,
    payloads: new Uint8Array(payloads.buffer),
    payloadEnds,
  };
}

/** The buffers of a packed batch, for `postMessage`'s transfer list. */
export function transferList(packed: PackedRows): ArrayBuffer[] {
  return [
    packed.lengths.buffer,
    packed.numbers.buffer,
    packed.payloads.buffer,
    packed.payloadEnds.buffer,
  ];
}

/** Unpacks rows packed by {@link packRows}; each payload is a view into the shared bytes. */
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
      identifiers: next(b + 7),
      channel: next(b + 8) ?? 'other',
      ops: next(b + 9),
      timestamp: packed.numbers[r * NUMBERS] ?? 0,
      receivedAt: packed.numbers[r * NUMBERS + 1] ?? 0,
      purchase: packed.numbers[r * NUMBERS + 2] === 1,
      payload: packed.payloads.subarray(
        r === 0 ? 0 : packed.payloadEnds[r - 1],
        packed.payloadEnds[r],
      ),
    });
  }
  return rows;
}

/** Joins packed batches into a new one; the inputs stay intact (nothing of theirs is shared). */
export function concatPacked(batches: readonly PackedRows[]): PackedRows {
  let count = 0;
  let bytes = 0;
  for (const b of batches) {
    count += b.count;
    bytes += b.payloads.length;
  }
  const lengths = new Int32Array(count * WIDTH);
  const numbers = new Float64Array(count * NUMBERS);
  const payloads = new Uint8Array(bytes);
  const payloadEnds = new Int32Array(count);
  let rows = 0;
  let offset = 0;
  for (const b of batches) {
    lengths.set(b.lengths, rows * WIDTH);
    numbers.set(b.numbers, rows * NUMBERS);
    payloads.set(b.payloads, offset);
    for (let r = 0; r < b.count; r++) payloadEnds[rows + r] = (b.payloadEnds[r] ?? 0) + offset;
    rows += b.count;
    offset += b.payloads.length;
  }
  return {
    count,
    text: batches.map((b) => b.text).join(''),
    lengths,
    numbers,
    payloads,
    payloadEnds,
  };
}
