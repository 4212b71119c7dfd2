/** Bounds every event and batch must stay within. Sizes are UTF-8 bytes of the JSON text. */
export interface Limits {
  /** Maximum JSON size of one event (Segment: 32 KB). */
  maxEventBytes: number;
  /** Maximum size of one request body after decompression (Segment: 500 KB). */
  maxBatchBytes: number;
  /** Maximum nesting of objects and arrays, counting the event object itself as level 1. */
  maxDepth: number;
  /** Maximum number of events in one batch; bounds the work one request can cause. */
  maxBatchEvents: number;
  /** Maximum number of object keys in one event, counted over all nesting levels. */
  maxKeys: number;
  /** Maximum number of elements in one array. */
  maxArrayLength: number;
  /** Maximum length of one string, in UTF-16 code units. */
  maxStringLength: number;
}

/** The limits a collector applies unless configured otherwise. */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxEventBytes: 32 * 1024,
  maxBatchBytes: 500 * 1024,
  maxDepth: 16,
  maxBatchEvents: 2500,
  maxKeys: 1000,
  maxArrayLength: 1000,
  maxStringLength: 8192,
});

/** Identifiers (messageId, userId, anonymousId, identity values) are at most this long. */
export const MAX_ID_LENGTH = 255;

/** Keys that could reach an object's prototype when copied; rejected anywhere in an event. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);
