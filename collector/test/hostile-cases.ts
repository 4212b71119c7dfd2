/* eslint-disable max-lines -- one table of hostile inputs; split by length it would only scatter it */
import { deflateSync, gzipSync } from 'node:zlib';
import type { EventErrorCode, RequestErrorCode } from '@spoor/schemas';
import { WRITE_KEY, trackEvent as ev } from './kit.js';
import type { TestRequest, Transport } from './transports.js';

/** One hostile input and what the collector must answer. */
export interface HostileCase {
  name: string;
  /**
   * The request under test comes last; any before it prime the collector and must get a 200.
   * Built once per transport, so every run has its own messageIds.
   */
  requests: () => TestRequest | TestRequest[];
  status: number;
  /** The request-level error code of a non-2xx answer. */
  code?: RequestErrorCode;
  /** First error code of each rejected event, by its index in the request. */
  rejected?: Record<number, EventErrorCode>;
  /** Fields a 200 answer must have. */
  answer?: Record<string, unknown>;
  /** Events the request under test adds to the store (default 0). */
  stored?: number;
  /** Only this transport can send the request (see the case's comment). */
  only?: Transport;
}

const BASIC = `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`;
const JSON_HEADERS = { authorization: BASIC, 'content-type': 'application/json' };
const YEAR_MS = 365 * 86_400_000;

/** A POST to /v1/batch; `body` is sent as is when it is text or bytes, else as JSON. */
function post(body: unknown, extra: Partial<TestRequest> = {}): TestRequest {
  const text = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  return { path: '/v1/batch', headers: JSON_HEADERS, body: text, ...extra };
}
const withHeaders = (headers: Record<string, string>) => ({
  headers: { ...JSON_HEADERS, ...headers },
});
const batchOf = (...events: unknown[]) => ({ batch: events });
/** A valid event's JSON with raw `members` spliced in (for keys a JS literal cannot express). */
const eventText = (members: string, overrides: Record<string, unknown> = {}) =>
  `${JSON.stringify(ev(overrides)).slice(0, -1)},${members}}`;
const nestArrays = (n: number) => '['.repeat(n) + ']'.repeat(n);
const nestObjectsText = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
const nestObjects = (n: number): unknown => JSON.parse(nestObjectsText(n));
const manyKeys = (n: number) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
/** Properties of about 40 KB made of strings within the length limit: over the 32 KB event limit. */
const bulky = () => ({
  properties: Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((k) => [k, 'x'.repeat(8000)])),
});
/** A body that inflates to about 5 MB, ten times the batch limit, from a few KB on the wire. */
const bomb = () =>
  Buffer.from(JSON.stringify(batchOf(ev({ properties: { pad: ' '.repeat(5e6) } }))));
const valid = () => Buffer.from(JSON.stringify(batchOf(ev())));
const inYears = (years: number) => new Date(Date.now() + years * YEAR_MS).toISOString();
const POLLUTE = '{"polluted":"yes"}';

/** A request the collector must refuse as a whole with `status` and `code`. */
const refused = (
  name: string,
  status: number,
  code: RequestErrorCode,
  request: () => TestRequest,
  only?: Transport,
): HostileCase => ({ name, requests: request, status, code, ...(only && { only }) });

/** One event, alone in a batch, that must be refused with `code`; text is sent as raw JSON. */
const refusedEvent = (name: string, code: EventErrorCode, event: () => unknown): HostileCase => {
  const text = () => {
    const e = event();
    return typeof e === 'string' ? e : JSON.stringify(e);
  };
  return {
    name,
    requests: () => post(`{"batch":[${text()}]}`),
    status: 400,
    code: 'no_valid_events',
    rejected: { 0: code },
  };
};

export const HOSTILE_CASES: HostileCase[] = [
  // Malformed bodies and wrong shapes
  refused('malformed JSON', 400, 'invalid_json', () => post('{"batch":[{"type":"track",')),
  refused('JSON followed by garbage', 400, 'invalid_json', () => post('{"batch":[]} trailing')),
  refused('whitespace-only body', 400, 'invalid_json', () => post('   \n')),
  refused('batch is an object', 400, 'invalid_batch', () => post({ batch: { 0: ev() } })),
  refused('body is a JSON array', 400, 'invalid_batch', () => post([ev()])),
  refused('body is a JSON string', 400, 'invalid_batch', () => post('"batch"')),
  {
    name: 'events that are not objects',
    requests: () => post(batchOf(42, 'text', null, [ev()])),
    status: 400,
    code: 'no_valid_events',
    rejected: { 0: 'invalid_event', 1: 'invalid_event', 2: 'invalid_event', 3: 'invalid_event' },
  },
  refusedEvent('properties is a string', 'invalid_field', () => ev({ properties: 'cheap' })),
  refusedEvent('event name is a number', 'invalid_field', () => ev({ event: 42 })),
  refusedEvent('userId is an object', 'invalid_field', () => ev({ userId: { id: 1 } })),
  refusedEvent('no userId, anonymousId or identities', 'missing_identity', () =>
    ev({ anonymousId: undefined }),
  ),
  refusedEvent('empty identities only', 'missing_identity', () =>
    ev({ anonymousId: undefined, identities: {} }),
  ),
  refusedEvent('unknown type', 'unknown_type', () => ev({ type: 'purchase' })),
  refusedEvent('no type on /v1/batch', 'unknown_type', () => ev({ type: undefined })),
  refusedEvent('number beyond double range (1e400)', 'invalid_field', () => eventText('"n":1e400')),
  refusedEvent('messageId over 255 characters', 'invalid_field', () =>
    ev({ messageId: 'm'.repeat(256) }),
  ),
  refused('batch-level context with wrong types', 400, 'invalid_batch', () =>
    post({ context: { ip: 42, library: 'x' }, batch: [ev()] }),
  ),
  refused('batch-level integrations is an array', 400, 'invalid_batch', () =>
    post({ integrations: [1], batch: [ev()] }),
  ),
  refused('unparseable Authorization header', 401, 'unauthorized', () =>
    post(valid(), withHeaders({ authorization: 'Basic !!!' })),
  ),

  // Sizes
  {
    name: 'oversized single event on /v1/track',
    requests: () => post(ev({ type: undefined, ...bulky() }), { path: '/v1/track' }),
    status: 413,
    code: 'event_too_large',
    rejected: { 0: 'event_too_large' },
  },
  {
    name: 'oversized event inside a valid batch',
    requests: () => post(batchOf(ev(), ev(bulky()))),
    status: 200,
    answer: { accepted: 1 },
    rejected: { 1: 'event_too_large' },
    stored: 1,
  },
  // Refused from its Content-Length; over HTTP the body is never sent (see TestRequest.headOnly).
  refused('batch body over 500 KB', 413, 'batch_too_large', () =>
    post(batchOf(...Array.from({ length: 20 }, () => ev(bulky()))), { headOnly: true }),
  ),
  // Without a Content-Length the limit trips while reading. Over a socket the collector answers
  // and closes while the client still writes, a race no client wins reliably; inject streams.
  refused(
    'batch body over 500 KB without Content-Length',
    413,
    'batch_too_large',
    () => post(batchOf(...Array.from({ length: 20 }, () => ev(bulky()))), { stream: true }),
    'inject',
  ),
  // Over the per-batch event cap: refused before any event is examined.
  refused('20,000 non-object events in one batch', 413, 'batch_too_large', () =>
    post(`{"batch":[${Array(20_000).fill(0).join(',')}]}`),
  ),

  // Nesting, key counts, arrays, strings
  refusedEvent('10,000 nested arrays as an event', 'invalid_event', () => nestArrays(10_000)),
  refusedEvent('10,000 nested arrays in properties', 'too_deep', () =>
    eventText(`"deep":${nestArrays(10_000)}`),
  ),
  refusedEvent('50,000 nested objects in properties', 'too_deep', () =>
    eventText(`"deep":${nestObjectsText(50_000)}`),
  ),
  refused('10,000 nested objects in batch-level context', 400, 'invalid_batch', () =>
    post(`{"context":${nestObjectsText(10_000)},"batch":[${JSON.stringify(ev())}]}`),
  ),
  refusedEvent('17 levels: the event and 16 below it', 'too_deep', () =>
    ev({ properties: nestObjects(16) }),
  ),
  {
    name: '16 levels, the most allowed',
    requests: () => post(batchOf(ev({ properties: nestObjects(15) }))),
    status: 200,
    answer: { accepted: 1 },
    stored: 1,
  },
  refusedEvent('1,001 keys', 'too_many_keys', () => ev({ properties: manyKeys(1001) })),
  refusedEvent('30,000 keys', 'too_many_keys', () => ev({ properties: manyKeys(30_000) })),
  refusedEvent('array of 1,001 items', 'array_too_long', () =>
    ev({ properties: { list: Array(1001).fill(0) } }),
  ),
  refusedEvent('array of 200,000 items', 'array_too_long', () =>
    ev({ properties: { list: Array(200_000).fill(0) } }),
  ),
  refusedEvent('string of 8,193 characters', 'string_too_long', () =>
    ev({ properties: { s: 'x'.repeat(8193) } }),
  ),
  refusedEvent('string of 400,000 characters', 'string_too_long', () =>
    ev({ properties: { s: 'x'.repeat(400_000) } }),
  ),

  // Prototype pollution, in raw JSON text: in a JS literal `__proto__` would set the prototype
  ...['__proto__', 'constructor', 'prototype'].map((key) =>
    refusedEvent(`"${key}" at the top level of an event`, 'forbidden_key', () =>
      eventText(`"${key}":{"prototype":${POLLUTE},"polluted":"yes"}`),
    ),
  ),
  refusedEvent('"__proto__" in properties', 'forbidden_key', () =>
    eventText(`"properties":{"__proto__":${POLLUTE}}`, { properties: undefined }),
  ),
  refusedEvent('"constructor.prototype" in properties', 'forbidden_key', () =>
    eventText(`"properties":{"constructor":{"prototype":${POLLUTE}}}`, { properties: undefined }),
  ),
  refusedEvent('"__proto__" in context', 'forbidden_key', () =>
    eventText(`"context":{"__proto__":${POLLUTE}}`, { context: undefined }),
  ),
  {
    name: '"__proto__" in traits on /v1/identify',
    requests: () =>
      post(`{"userId":"u1","traits":{"__proto__":${POLLUTE}}}`, { path: '/v1/identify' }),
    status: 400,
    code: 'no_valid_events',
    rejected: { 0: 'forbidden_key' },
  },
  refused('"__proto__" in batch-level context', 400, 'invalid_batch', () =>
    post(`{"context":{"__proto__":${POLLUTE}},"batch":[${JSON.stringify(ev())}]}`),
  ),
  refused('"constructor" in batch-level integrations', 400, 'invalid_batch', () =>
    post(
      `{"integrations":{"constructor":{"prototype":${POLLUTE}}},"batch":[${JSON.stringify(ev())}]}`,
    ),
  ),
  // Unknown envelope keys are never copied anywhere, so this one is harmless and ignored.
  {
    name: '"__proto__" beside "batch" in the envelope',
    requests: () => post(`{"__proto__":${POLLUTE},"batch":[${JSON.stringify(ev())}]}`),
    status: 200,
    answer: { accepted: 1 },
    stored: 1,
  },

  // Encodings
  refused('invalid UTF-8 bytes', 400, 'invalid_utf8', () =>
    post(
      Buffer.concat([
        Buffer.from('{"batch":[{"event":"'),
        Buffer.from([0xff, 0xfe, 0x22, 0x7d, 0x5d, 0x7d]),
      ]),
    ),
  ),
  refused('overlong UTF-8 encoding of "/"', 400, 'invalid_utf8', () =>
    post(Buffer.concat([Buffer.from('{"batch":["'), Buffer.from([0xc0, 0xaf, 0x22, 0x5d, 0x7d])])),
  ),
  refusedEvent('lone high surrogate escape in a value', 'invalid_string', () =>
    eventText('"s":"\\ud800"'),
  ),
  refusedEvent('lone low surrogate escape in a key', 'invalid_string', () =>
    eventText('"\\udc00":1'),
  ),
  refused('broken gzip stream', 400, 'invalid_encoding', () =>
    post(
      Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xde, 0xad, 0xbe, 0xef]),
      withHeaders({ 'content-encoding': 'gzip' }),
    ),
  ),
  refused('truncated gzip stream', 400, 'invalid_encoding', () =>
    post(gzipSync(valid()).subarray(0, 30), withHeaders({ 'content-encoding': 'gzip' })),
  ),
  refused('plain JSON labelled deflate', 400, 'invalid_encoding', () =>
    post(valid(), withHeaders({ 'content-encoding': 'deflate' })),
  ),
  refused('gzip bomb inflating past 500 KB', 413, 'batch_too_large', () =>
    post(gzipSync(bomb()), withHeaders({ 'content-encoding': 'gzip' })),
  ),
  refused('deflate bomb inflating past 500 KB', 413, 'batch_too_large', () =>
    post(deflateSync(bomb()), withHeaders({ 'content-encoding': 'deflate' })),
  ),
  refused('Content-Encoding br', 415, 'unsupported_encoding', () =>
    post(valid(), withHeaders({ 'content-encoding': 'br' })),
  ),
  refused('Content-Encoding "gzip, gzip"', 415, 'unsupported_encoding', () =>
    post(gzipSync(gzipSync(valid())), withHeaders({ 'content-encoding': 'gzip, gzip' })),
  ),

  // Content types
  refused('Content-Type text/html', 415, 'unsupported_media_type', () =>
    post(valid(), withHeaders({ 'content-type': 'text/html' })),
  ),
  refused('Content-Type multipart/form-data', 415, 'unsupported_media_type', () =>
    post(
      '--x\r\n\r\n{}\r\n--x--',
      withHeaders({ 'content-type': 'multipart/form-data; boundary=x' }),
    ),
  ),
  refused('Content-Type application/x-www-form-urlencoded', 415, 'unsupported_media_type', () =>
    post('batch=%5B%5D', withHeaders({ 'content-type': 'application/x-www-form-urlencoded' })),
  ),
  refused('no Content-Type', 415, 'unsupported_media_type', () =>
    post(valid(), { headers: { authorization: BASIC } }),
  ),

  // Empty bodies
  refused('Content-Length 0', 400, 'empty_body', () => ({
    path: '/v1/batch',
    ...withHeaders({ 'content-length': '0' }),
  })),
  refused('Content-Length 0 without Content-Type', 400, 'empty_body', () => ({
    path: '/v1/batch',
    headers: { authorization: BASIC, 'content-length': '0' },
  })),
  refused('{}', 400, 'invalid_batch', () => post('{}')),
  refused('{"batch":[]}', 400, 'empty_batch', () => post('{"batch":[]}')),
  refused('null', 400, 'invalid_batch', () => post('null')),
  refused('[]', 400, 'invalid_batch', () => post('[]')),
  {
    name: '{} on /v1/track',
    requests: () => post('{}', { path: '/v1/track' }),
    status: 400,
    code: 'no_valid_events',
    rejected: { 0: 'invalid_field' },
  },
  {
    name: 'null on /v1/track',
    requests: () => post('null', { path: '/v1/track' }),
    status: 400,
    code: 'no_valid_events',
    rejected: { 0: 'invalid_event' },
  },

  // Duplicates and conflicts
  {
    name: 'the same messageId twice in one batch',
    requests: () => [ev()].map((e) => post(batchOf(e, e))),
    status: 200,
    answer: { accepted: 1, duplicates: 1, conflicts: [] },
    stored: 1,
  },
  {
    name: 'a stored messageId sent again',
    requests: () => [ev()].flatMap((e) => [post(batchOf(e)), post(batchOf(e))]),
    status: 200,
    answer: { accepted: 0, duplicates: 1, conflicts: [] },
  },
  {
    name: 'a stored messageId with a different payload',
    requests: () =>
      [ev()].flatMap((e) => [post(batchOf(e)), post(batchOf({ ...e, event: 'Other' }))]),
    status: 200,
    answer: {
      accepted: 0,
      duplicates: 1,
      conflicts: [{ index: 0 }],
    },
  },
  {
    name: 'one messageId with two payloads in one batch',
    requests: () => [ev()].map((e) => post(batchOf(e, { ...e, event: 'Other' }))),
    status: 200,
    answer: {
      accepted: 1,
      duplicates: 1,
      conflicts: [{ index: 1 }],
    },
    stored: 1,
  },

  // Timestamps
  refusedEvent('timestamp 10 years in the future', 'timestamp_out_of_range', () =>
    ev({ timestamp: inYears(10) }),
  ),
  refusedEvent('timestamp in the year 2000', 'timestamp_out_of_range', () =>
    ev({ timestamp: '2000-01-01T00:00:00.000Z' }),
  ),
  refusedEvent('sentAt 20 years after the timestamp', 'timestamp_out_of_range', () =>
    ev({ sentAt: inYears(20) }),
  ),
  refusedEvent('timestamp "yesterday"', 'invalid_field', () => ev({ timestamp: 'yesterday' })),
  refusedEvent('timestamp in epoch ms', 'invalid_field', () => ev({ timestamp: Date.now() })),
  refusedEvent('timestamp without a time', 'invalid_field', () => ev({ timestamp: '2026-05-01' })),
  refusedEvent('originalTimestamp in RFC 1123', 'invalid_field', () =>
    ev({ originalTimestamp: 'Tue, 01 Sep 2026 10:00:00 GMT' }),
  ),
  refusedEvent('event sentAt in RFC 1123', 'invalid_field', () =>
    ev({ sentAt: 'Tue, 01 Sep 2026 10:00:00 GMT' }),
  ),
  refused('batch sentAt not a date', 400, 'invalid_batch', () =>
    post({ sentAt: 'now', batch: [ev()] }),
  ),
  // A device clock 10 years ahead stamps both times ahead: skew correction recovers the event.
  {
    name: 'timestamp and sentAt both 10 years ahead',
    requests: () => [inYears(10)].map((t) => post(batchOf(ev({ timestamp: t, sentAt: t })))),
    status: 200,
    answer: { accepted: 1 },
    stored: 1,
  },

  // Write key in the body: the rejection is stored, the key must not be
  {
    name: 'invalid event on /v1/track, write key in the body',
    requests: () =>
      post(
        { writeKey: WRITE_KEY, anonymousId: 'a1' },
        { path: '/v1/track', headers: { 'content-type': 'text/plain' } },
      ),
    status: 400,
    code: 'no_valid_events',
    rejected: { 0: 'invalid_field' },
  },
  {
    name: 'invalid event carrying writeKey, write key in the envelope',
    requests: () =>
      post(
        {
          writeKey: WRITE_KEY,
          batch: [{ ...ev({ anonymousId: undefined }), writeKey: WRITE_KEY }],
        },
        { headers: { 'content-type': 'text/plain' } },
      ),
    status: 400,
    code: 'no_valid_events',
    rejected: { 0: 'missing_identity' },
  },

  // Only a socket can send these: inject builds requests without Node's HTTP parser.
  refused(
    'Content-Length not a number',
    400,
    'bad_request',
    () => post(valid(), withHeaders({ 'content-length': 'abc' })),
    'http',
  ),
  refused(
    'Content-Length with Transfer-Encoding',
    400,
    'bad_request',
    () => post(valid(), withHeaders({ 'transfer-encoding': 'chunked', 'content-length': '9' })),
    'http',
  ),
  refused(
    'headers over 16 KB',
    400,
    'bad_request',
    () => post(valid(), withHeaders({ 'x-padding': 'p'.repeat(20_000) })),
    'http',
  ),
];
