import cors from '@fastify/cors';
import {
  EVENT_TYPES,
  MAX_LISTED_PER_REQUEST,
  type EventType,
  type IngestResponse,
} from '@spoor/schemas';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CollectorContext } from '../context.js';
import { SpoorError } from '../errors.js';
import { IngestUnavailableError } from '../pipeline/ingest-pool.js';
import type { IngestInput, IngestPrepared } from '../pipeline/ingest-request.js';
import { unpackRows, type PackedRows } from '../store/row-codec.js';
import { OUTCOME, type RejectionRow } from '../store/types.js';

/** Request bytes waiting for an ingest worker beyond which requests are shed with 503. */
const MAX_PENDING_BYTES = 64 * 1024 * 1024;

/** The Segment-compatible ingest API: `/v1/batch` and one endpoint per event type. */
export async function ingestRoutes(app: FastifyInstance, ctx: CollectorContext): Promise<void> {
  await app.register(cors, {
    origin: (origin, cb) => cb(null, origin === undefined || ctx.keyring.admitsOrigin(origin)),
    methods: ['POST'],
    allowedHeaders: ['Content-Type', 'Content-Encoding', 'Authorization'],
    maxAge: 86400,
  });

  // Shed load and refuse unknown keys before reading a body.
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'POST') return;
    if (ctx.closing) throw new SpoorError('shutting_down', undefined, undefined, 5);
    if (
      ctx.committer.pendingRows >= ctx.config.maxPendingEvents ||
      ctx.ingest.pendingBytes >= MAX_PENDING_BYTES
    ) {
      throw new SpoorError('overloaded', undefined, undefined, 1);
    }
    if (ctx.keyring.fromHeader(request.headers.authorization) === null) {
      reply.header('WWW-Authenticate', 'Basic realm="spoor"');
      throw new SpoorError('unauthorized');
    }
  });

  app.post('/v1/batch', (request, reply) => ingest(ctx, request, reply));
  for (const type of EVENT_TYPES) {
    app.post(`/v1/${type}`, (request, reply) => ingest(ctx, request, reply, type));
  }
}

async function ingest(
  ctx: CollectorContext,
  request: FastifyRequest,
  reply: FastifyReply,
  pathType?: EventType,
) {
  const body = request.body;
  if (!(body instanceof Uint8Array)) throw new SpoorError('empty_body');
  // The bytes move to an ingest worker; nothing here needs them afterwards.
  request.body = undefined;
  const input: IngestInput = {
    body: transferable(body),
    authorization: request.headers.authorization,
    origin: request.headers.origin,
    ip: request.ip,
    receivedAt: Date.now(),
  };
  if (pathType) input.pathType = pathType;
  const prepared = await prepare(ctx, input);
  if (!prepared.ok) throw new SpoorError(prepared.code, prepared.message);

  const { source, rows, rejected, rejectedCount } = prepared;
  ctx.metrics.received.inc({ source }, prepared.received);
  for (const [code, n] of Object.entries(prepared.rejectedCodes))
    ctx.metrics.rejected.inc({ source, code }, n);

  const { outcomes } = await commit(ctx, rows, prepared.rejections);
  if (rows.count === 0) {
    const only = rejected.length === 1 ? rejected[0]?.errors[0] : undefined;
    if (pathType && only?.code === 'event_too_large')
      throw new SpoorError('event_too_large', only.message, rejected);
    throw new SpoorError('no_valid_events', undefined, rejected, undefined, rejectedCount);
  }

  const response: IngestResponse = {
    success: true,
    accepted: 0,
    duplicates: 0,
    suppressed: 0,
    conflicts: [],
    conflictCount: 0,
    rejected,
    rejectedCount,
  };
  let unpacked: ReturnType<typeof unpackRows> | undefined;
  outcomes.forEach((outcome, i) => {
    if (outcome === OUTCOME.stored) response.accepted++;
    else if (outcome === OUTCOME.suppressed) response.suppressed++;
    else response.duplicates++;
    if (outcome === OUTCOME.conflict && response.conflictCount++ < MAX_LISTED_PER_REQUEST) {
      unpacked ??= unpackRows(rows); // conflicts are rare; only then are the rows read back
      response.conflicts.push({
        index: prepared.rowIndex[i] ?? -1,
        messageId: unpacked[i]?.messageId ?? '',
      });
    }
  });
  ctx.metrics.accepted.inc({ source }, response.accepted);
  if (response.duplicates > 0) ctx.metrics.duplicates.inc({ source }, response.duplicates);
  if (response.conflictCount > 0) ctx.metrics.conflicts.inc({ source }, response.conflictCount);
  if (response.suppressed > 0) ctx.metrics.suppressed.inc({ source }, response.suppressed);
  return reply.code(200).send(response);
}

async function prepare(ctx: CollectorContext, input: IngestInput): Promise<IngestPrepared> {
  const stop = ctx.metrics.prepareSeconds.startTimer();
  try {
    return await ctx.ingest.prepare(input);
  } catch (error) {
    ctx.log.error({ err: error }, 'ingest worker failed');
    // A worker that died takes its requests with it; they were not stored and may be retried.
    if (error instanceof IngestUnavailableError)
      throw new SpoorError('overloaded', error.message, undefined, 1);
    throw new SpoorError('internal_error');
  } finally {
    stop();
  }
}

async function commit(ctx: CollectorContext, rows: PackedRows, rejections: RejectionRow[]) {
  ctx.metrics.pending.set(ctx.committer.pendingRows + rows.count);
  try {
    return await ctx.committer.submit({ rows, rejections });
  } catch (error) {
    ctx.log.error({ err: error }, 'commit failed');
    throw new SpoorError('storage_unavailable', undefined, undefined, 5);
  }
}

/** The body as a buffer of its own, so it can be transferred to a worker without copying. */
function transferable(body: Uint8Array): Uint8Array<ArrayBuffer> {
  const own =
    body.buffer instanceof ArrayBuffer &&
    body.byteOffset === 0 &&
    body.byteLength === body.buffer.byteLength;
  return own ? new Uint8Array(body.buffer) : new Uint8Array(body);
}
