import type { FastifyInstance } from 'fastify';
import type { EngineSink } from './engine-sink.js';

/**
 * Re-evaluates, every `everyMs`, the profiles whose `nextAt` has passed, page by
 * page: each profile comes due at its own time (a window edge, an inactivity deadline), so the
 * work is spread out rather than one midnight spike, and no membership is a minute late.
 */
export function startEngineScheduler(
  engine: EngineSink,
  app: FastifyInstance,
  everyMs: number,
): NodeJS.Timeout {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    const round = async () => {
      while ((await engine.tick()) >= engine.batchSize);
    };
    round()
      .catch((error: unknown) => app.log.error({ err: error }, 'engine scheduler round failed'))
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  return timer;
}
