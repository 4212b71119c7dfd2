import type { FastifyInstance } from 'fastify';
import type { CollectorContext } from '../context.js';
import { requireAdmin } from './auth.js';

/** Liveness, readiness and Prometheus metrics. */
export async function opsRoutes(app: FastifyInstance, ctx: CollectorContext): Promise<void> {
  // Liveness: only a store that failed for good makes the process worth restarting.
  app.get('/healthz', async (_request, reply) =>
    ctx.store.broken ? reply.code(503).send({ status: 'store_failed' }) : { status: 'ok' },
  );

  app.get('/readyz', async (_request, reply) => {
    if (ctx.closing) return reply.code(503).send({ status: 'closing' });
    try {
      await ctx.store.lastSeq();
      return { status: 'ready' };
    } catch (error) {
      ctx.log.error({ err: error }, 'store not ready');
      return reply.code(503).send({ status: 'store_unavailable' });
    }
  });

  // Source labels can be write keys (a bare key names its own source), so metrics are private.
  app.get('/metrics', async (request, reply) => {
    requireAdmin(request, ctx.config.adminToken);
    const lag = ctx.forwarder.lag(ctx.committer.lastSeq);
    for (const [sink, events] of Object.entries(lag)) ctx.metrics.outboxLag.set({ sink }, events);
    ctx.metrics.pending.set(ctx.committer.pendingRows);
    return reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
}
