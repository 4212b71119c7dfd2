import { isUtf8 } from 'node:buffer';
import {
  ContextSchema,
  DateTimeSchema,
  MAX_LISTED_PER_REQUEST,
  guardJson,
  type EventType,
  type Limits,
  type RejectedEvent,
  type RequestErrorCode,
} from '@spoor/schemas';
import { SpoorError } from '../errors.js';
import type { Keyring } from '../plugins/auth.js';
import { packRows, type PackedRows } from '../store/row-codec.js';
import type { EventRow, RejectionRow } from '../store/types.js';
import { prepareEvent, type PrepareSettings, type RequestContext } from './prepare.js';

/** Longest excerpt of a rejected event kept for `GET /v1/rejections`. */
const REJECTION_EXCERPT = 4096;

/** One ingest request as the HTTP layer hands it over. */
export interface IngestInput {
  /** The request body, decompressed. */
  body: Uint8Array<ArrayBuffer>;
  authorization?: string;
  origin?: string;
  ip: string;
  receivedAt: number;
  /** Set by the single-event endpoints (`/v1/track` …). */
  pathType?: EventType;
}

/** A request turned into rows to commit, or refused as a whole. */
export type IngestPrepared =
  | { ok: false; code: RequestErrorCode; message: string }
  | {
      ok: true;
      source: string;
      /** Events in the request. */
      received: number;
      rows: PackedRows;
      /** For each row, the index of its event in the request. */
      rowIndex: Int32Array<ArrayBuffer>;
      /** The first refused events, with reasons. */
      rejected: RejectedEvent[];
      rejectedCount: number;
      /** What to keep of the listed refusals for `GET /v1/rejections`. */
      rejections: RejectionRow[];
      /** Refused events by their first error code. */
      rejectedCodes: Record<string, number>;
    };

/**
 * Everything CPU-heavy about an ingest request, done off the HTTP event loop: UTF-8 and JSON
 * decoding, authentication by body `writeKey`, the batch envelope, and each event's checks,
 * normalisation and serialisation into packed rows.
 */
export function prepareRequest(
  input: IngestInput,
  settings: PrepareSettings,
  keyring: Keyring,
): IngestPrepared {
  try {
    const body = decode(input.body);
    const key = keyring.resolve(input, body);
    const req: RequestContext = { source: key.source, receivedAt: input.receivedAt, ip: input.ip };
    let events: unknown[];
    if (input.pathType) {
      req.pathType = input.pathType;
      events = [body];
    } else {
      events = readBatch(settings.limits, body, req);
    }
    return prepareEvents(events, req, settings);
  } catch (error) {
    if (error instanceof SpoorError) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}

function prepareEvents(
  events: unknown[],
  req: RequestContext,
  settings: PrepareSettings,
): IngestPrepared {
  const rows: EventRow[] = [];
  const rowIndex: number[] = [];
  const rejected: RejectedEvent[] = [];
  const rejections: RejectionRow[] = [];
  const rejectedCodes: Record<string, number> = {};
  let rejectedCount = 0;
  events.forEach((raw, index) => {
    const prepared = prepareEvent(raw, req, settings);
    if (prepared.ok) {
      rows.push(prepared.row);
      rowIndex.push(index);
      return;
    }
    const code = prepared.errors[0]?.code ?? 'invalid_event';
    rejectedCodes[code] = (rejectedCodes[code] ?? 0) + 1;
    // Listing (and keeping) every refusal would let one small request of tiny junk items
    // produce a response and a rejections table many times its own size.
    if (rejectedCount++ >= MAX_LISTED_PER_REQUEST) return;
    const messageId = prepared.messageId?.slice(0, 255) ?? null;
    rejected.push({ index, messageId, errors: prepared.errors });
    rejections.push({
      source: req.source,
      receivedAt: req.receivedAt,
      messageId,
      errors: JSON.stringify(prepared.errors),
      payload: excerpt(raw),
    });
  });
  return {
    ok: true,
    source: req.source,
    received: events.length,
    rows: packRows(rows),
    rowIndex: Int32Array.from(rowIndex),
    rejected,
    rejectedCount,
    rejections,
    rejectedCodes,
  };
}

function decode(bytes: Uint8Array): unknown {
  if (!isUtf8(bytes)) throw new SpoorError('invalid_utf8');
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new SpoorError(
      'invalid_json',
      `Request body is not valid JSON: ${(error as Error).message}`,
    );
  }
}

/** Checks the batch envelope and returns its events; batch-level fields go into `req`. */
function readBatch(limits: Limits, body: unknown, req: RequestContext): unknown[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new SpoorError('invalid_batch');
  const { batch, context, integrations, sentAt } = body as Record<string, unknown>;
  if (!Array.isArray(batch)) throw new SpoorError('invalid_batch');
  if (batch.length === 0) throw new SpoorError('empty_batch');
  if (batch.length > limits.maxBatchEvents) {
    throw new SpoorError(
      'batch_too_large',
      `A batch may hold at most ${limits.maxBatchEvents} events`,
    );
  }
  const shared: NonNullable<RequestContext['batch']> = { bytes: 0 };
  for (const [field, value] of [
    ['context', context],
    ['integrations', integrations],
  ] as const) {
    if (value === undefined) continue;
    // Merged into each event one level down, so it gets one level less of depth; and it must
    // pass the same schema as an event's own context, since it is merged after validation.
    const guard = guardJson(value, { ...limits, maxDepth: limits.maxDepth - 1 });
    if (
      typeof value !== 'object' ||
      value === null ||
      Array.isArray(value) ||
      !guard.ok ||
      (field === 'context' && !ContextSchema.safeParse(value).success)
    ) {
      throw new SpoorError(
        'invalid_batch',
        `Batch-level ${field} must be a valid JSON object within limits`,
      );
    }
    shared[field] = value as Record<string, unknown>;
    shared.bytes = (shared.bytes ?? 0) + (guard.ok ? guard.value : 0);
  }
  if (sentAt !== undefined) {
    if (!DateTimeSchema.safeParse(sentAt).success) {
      throw new SpoorError('invalid_batch', 'Batch-level sentAt must be an ISO-8601 date-time');
    }
    shared.sentAt = sentAt as string;
  }
  req.batch = shared;
  return batch;
}

function excerpt(raw: unknown): string {
  try {
    const text = JSON.stringify(raw) ?? String(raw);
    return text.length > REJECTION_EXCERPT ? `${text.slice(0, REJECTION_EXCERPT)}…` : text;
  } catch {
    return '[unserialisable]';
  }
}
