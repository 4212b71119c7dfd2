import cors from '@fastify/cors';
import {
  EVENT_TYPES,
  ContextSchema,
  DateTimeSchema,
  MAX_LISTED_PER_REQUEST,
  guardJson,
  type EventType,
  type IngestResponse,
  type RejectedEvent,
} from '@spoor/schemas';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CollectorContext } from '../context.js';
import { SpoorError } from '../errors.js';
import { prepareEvent, type RequestContext } from '../pipeline/prepare.js';
import { OUTCOME, type EventRow, type RejectionRow } from '../store/types.js';

/** Longest excerpt of a rejected event kept for `GET /v1/rejections`. */
const REJECTION_EXCERPT = 4096;

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
    if (ctx.committer.pendingRows >= ctx.config.maxPendingEvents) {
      throw new SpoorError('overloaded', undefined, undefined, 1);
    }
    if (ctx.keyring.fromHeader(request) === null) {
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
  if (body === undefined) throw new SpoorError('empty_body');
  const key = ctx.keyring.resolve(request, body);
  const req: RequestContext = { source: key.source, receivedAt: Date.now(), ip: request.ip };
  let events: unknown[];
  if (pathType) {
    req.pathType = pathType;
    events = [body];
  } else {
    events = readBatch(ctx, body, req);
  }

  const rows: EventRow[] = [];
  const rowIndex: number[] = [];
  const rejected: RejectedEvent[] = [];
  const rejections: RejectionRow[] = [];
  let rejectedCount = 0;
  events.forEach((raw, index) => {
    const prepared = prepareEvent(raw, req, ctx.prepare);
    if (prepared.ok) {
      rows.push(prepared.row);
      rowIndex.push(index);
      return;
    }
    ctx.metrics.rejected.inc({
      source: key.source,
      code: prepared.errors[0]?.code ?? 'invalid_event',
    });
    // Listing (and keeping) every refusal would let one small request of tiny junk items
    // produce a response and a rejections table many times its own size.
    if (rejectedCount++ >= MAX_LISTED_PER_REQUEST) return;
    const messageId = prepared.messageId?.slice(0, 255) ?? null;
    rejected.push({ index, messageId, errors: prepared.errors });
    rejections.push({
      source: key.source,
      receivedAt: req.receivedAt,
      messageId,
      errors: JSON.stringify(prepared.errors),
      payload: excerpt(raw),
    });
  });
  ctx.metrics.received.inc({ source: key.source }, events.length);
  // Only the rows must outlive the commit wait; let the parsed body die young in the GC's
  // nursery instead of being promoted and collected later at a far higher cost.
  request.body = undefined;

  const { outcomes } = await commit(ctx, rows, rejections);
  if (rows.length === 0) {
    const only = rejected.length === 1 ? rejected[0]?.errors[0] : undefined;
    if (pathType && only?.code === 'event_too_large')
      throw new SpoorError('event_too_large', only.message, rejected);
    throw new SpoorError('no_valid_events', undefined, rejected, undefined, rejectedCount);
  }

  const response: IngestResponse = {
    success: true,
    accepted: 0,
    duplicates: 0,
    conflicts: [],
    conflictCount: 0,
    rejected,
    rejectedCount,
  };
  outcomes.forEach((outcome, i) => {
    if (outcome === OUTCOME.stored) response.accepted++;
    else response.duplicates++;
    if (outcome === OUTCOME.conflict && response.conflictCount++ < MAX_LISTED_PER_REQUEST) {
      response.conflicts.push({ index: rowIndex[i] ?? -1, messageId: rows[i]?.messageId ?? '' });
    }
  });
  ctx.metrics.accepted.inc({ source: key.source }, response.accepted);
  if (response.duplicates > 0)
    ctx.metrics.duplicates.inc({ source: key.source }, response.duplicates);
  if (response.conflictCount > 0)
    ctx.metrics.conflicts.inc({ source: key.source }, response.conflictCount);
  return reply.code(200).send(response);
}

/** Checks the batch envelope and returns its events; batch-level fields go into `req`. */
function readBatch(ctx: CollectorContext, body: unknown, req: RequestContext): unknown[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new SpoorError('invalid_batch');
  const { batch, context, integrations, sentAt } = body as Record<string, unknown>;
  if (!Array.isArray(batch)) throw new SpoorError('invalid_batch');
  if (batch.length === 0) throw new SpoorError('empty_batch');
  const max = ctx.config.limits.maxBatchEvents;
  if (batch.length > max)
    throw new SpoorError('batch_too_large', `A batch may hold at most ${max} events`);
  const shared: NonNullable<RequestContext['batch']> = {};
  for (const [field, value] of [
    ['context', context],
    ['integrations', integrations],
  ] as const) {
    if (value === undefined) continue;
    // Merged into each event one level down, so it gets one level less of depth.
    const guard = guardJson(value, {
      ...ctx.config.limits,
      maxDepth: ctx.config.limits.maxDepth - 1,
    });
    // Batch-level context is merged into every event after the events are validated, so it
    // must pass the same schema as an event's own context (once the guard has bounded it).
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
  }
  if (sentAt !== undefined) {
    if (!DateTimeSchema.safeParse(sentAt).success)
      throw new SpoorError('invalid_batch', 'Batch-level sentAt must be an ISO-8601 date-time');
    shared.sentAt = sentAt as string;
  }
  req.batch = shared;
  return batch;
}

async function commit(ctx: CollectorContext, rows: EventRow[], rejections: RejectionRow[]) {
  ctx.metrics.pending.set(ctx.committer.pendingRows + rows.length);
  try {
    return await ctx.committer.submit({ rows, rejections });
  } catch (error) {
    ctx.log.error({ err: error }, 'commit failed');
    throw new SpoorError('storage_unavailable', undefined, undefined, 5);
  }
}

function excerpt(raw: unknown): string {
  try {
    const text = JSON.stringify(raw) ?? String(raw);
    return text.length > REJECTION_EXCERPT ? `${text.slice(0, REJECTION_EXCERPT)}…` : text;
  } catch {
    return '[unserialisable]';
  }
}
