import { EVENT_TYPES } from '@spoor/schemas';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { CollectorContext } from '../context.js';
import { SpoorError } from '../errors.js';
import { requireAdmin } from './auth.js';
import { eventsToJson } from '../outbox/sink.js';

const cursor = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, 'must be a cursor returned as "next"')
  .transform(Number);
const limit = z.coerce.number().int().min(1).max(1000).default(100);

const EventsQuery = z.strictObject({
  limit,
  cursor: cursor.optional(),
  type: z.enum(EVENT_TYPES).optional(),
  event: z.string().min(1).max(200).optional(),
  source: z.string().min(1).max(200).optional(),
});
const RejectionsQuery = z.strictObject({
  limit,
  cursor: cursor.optional(),
  source: z.string().min(1).max(200).optional(),
});

/** Validates a request's query string; a clear `invalid_query` error otherwise. */
export function parseQuery<T>(schema: z.ZodType<T>, request: FastifyRequest): T {
  const parsed = schema.safeParse(request.query);
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues
    .map((i) => `${i.path.join('.') || 'query'}: ${i.message}`)
    .join('; ');
  throw new SpoorError('invalid_query', `Invalid query parameters: ${detail}`);
}

/** Read APIs for operators, behind the admin token: stored events and recent rejections. */
export async function readRoutes(app: FastifyInstance, ctx: CollectorContext): Promise<void> {
  app.addHook('onRequest', async (request) => requireAdmin(request, ctx.config.adminToken));

  app.get('/v1/events', async (request, reply) => {
    const q = parseQuery(EventsQuery, request);
    const rows = await ctx.store.listEvents({
      limit: q.limit,
      before: q.cursor,
      type: q.type,
      name: q.event,
      source: q.source,
    });
    const next = rows.length === q.limit ? JSON.stringify(String(rows.at(-1)?.seq)) : 'null';
    return reply.type('application/json').send(`{"data":${eventsToJson(rows)},"next":${next}}`);
  });

  app.get('/v1/rejections', async (request) => {
    const q = parseQuery(RejectionsQuery, request);
    const rows = await ctx.store.listRejections({
      limit: q.limit,
      before: q.cursor,
      source: q.source,
    });
    return {
      data: rows.map((r) => ({
        id: r.id,
        source: r.source,
        receivedAt: new Date(r.receivedAt).toISOString(),
        messageId: r.messageId,
        errors: JSON.parse(r.errors) as unknown,
        payload: r.payload,
      })),
      next: rows.length === q.limit ? String(rows.at(-1)?.id) : null,
    };
  });
}
