import type { Socket } from 'node:net';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyServerOptions,
} from 'fastify';
import { REQUEST_ERRORS, type RequestErrorCode } from '@spoor/schemas';
import { CONFIG_DEFAULTS, type CollectorConfig } from './config.js';
import type { CollectorContext } from './context.js';
import { SpoorError } from './errors.js';
import { defaultIdentityRules } from './identity/rules.js';
import { Activation } from './definitions/activation.js';
import { EngineSink } from './definitions/engine-sink.js';
import { startEngineScheduler } from './definitions/scheduler.js';
import { loadDefinitionsFile } from './definitions/file.js';
import { createMetrics, type Metrics } from './metrics.js';
import { Forwarder } from './outbox/forwarder.js';
import type { Sink } from './outbox/sink.js';
import { createWebhookSink } from './outbox/webhook-sink.js';
import { createIngestPool } from './pipeline/ingest-pool.js';
import { createKeyring } from './plugins/auth.js';
import { registerBodyParser } from './plugins/body.js';
import { definitionRoutes } from './plugins/definitions.js';
import { demoRoutes, type DemoOptions } from './plugins/demo.js';
import { ingestRoutes } from './plugins/ingest.js';
import { opsRoutes } from './plugins/ops.js';
import { profileRoutes } from './plugins/profiles.js';
import { readRoutes } from './plugins/read-api.js';
import { GroupCommitter } from './store/group-commit.js';
import type { IdentityReport } from './store/identity-graph.js';
import { openSqliteStore } from './store/sqlite-store.js';
import type { EventStore } from './store/types.js';

/** Options of {@link buildCollector}: a config with defaults for everything but credentials and data dir. */
export type CollectorOptions = Partial<CollectorConfig> &
  Pick<CollectorConfig, 'writeKeys' | 'adminToken' | 'dataDir'> & {
    /** Extra sinks besides the configured webhooks (the engine is one). */
    sinks?: Sink[];
    /** Fastify logger options; defaults to pino at `logLevel`. */
    logger?: FastifyServerOptions['logger'];
    /** Serve the demo shop at `/demo/` and the web SDK at `/spoor.js`; off when absent. */
    demo?: DemoOptions;
    /** The engine's clock (epoch ms); tests move time with it. */
    now?: () => number;
    /** How often the engine's scheduler runs (default 10 s). */
    engineTickMs?: number;
  };

const PRUNE_INTERVAL_MS = 3600_000;
/** How often the engine looks for profiles whose results time has changed. */
const ENGINE_TICK_MS = 10_000;
/** Identifiers per type, and links, the storage thread keeps cached: about 30 MB per 200,000. */
const IDENTITY_CACHE_SIZE = 200_000;
/** Identifiers beyond which a recompute is limited to the touched profiles (identity-recompute.ts). */
const MAX_RECOMPUTE_IDENTIFIERS = 10_000;

/** Maps Fastify's own errors (from body reading and routing) onto Spoor's codes. */
const FASTIFY_CODES: Record<string, RequestErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'batch_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
};

/**
 * Builds a collector: a Fastify instance with the ingest, read and operations APIs. The store
 * opens when the instance becomes ready (`await app.ready()` or `listen()`); `close()` drains
 * pending commits, stops forwarding and closes the store.
 */
export function buildCollector(options: CollectorOptions): FastifyInstance {
  const identityTypes = options.identityTypes ?? [...CONFIG_DEFAULTS.identityTypes];
  const config: CollectorConfig = {
    ...CONFIG_DEFAULTS,
    identityTypes,
    webhooks: [],
    ...options,
    identity:
      options.identity === undefined ? defaultIdentityRules(identityTypes) : options.identity,
  };
  const metrics = createMetrics();
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    bodyLimit: config.limits.maxBatchBytes,
    // Profile paths carry `type:value` with values up to 255 characters, percent-encoded; longer
    // parameters get a clear 400 from the route instead of the router's bare 414.
    routerOptions: { maxParamLength: 16_384 },
    // Fastify accepts a hop count here too, although its type definitions omit it.
    trustProxy: config.trustProxy as boolean | string[],
    // Fastify's own closing 503 has no `code` and no Retry-After; with this off, late requests
    // reach the ingest hook and get the registry's `shutting_down` answer instead.
    return503OnClosing: false,
    // A body that takes this long to arrive is refused, so a slow sender cannot hold a
    // connection (or a shutdown) open indefinitely.
    requestTimeout: 60_000,
    clientErrorHandler: (error, socket) => answerClientError(error, socket, metrics),
  });
  registerBodyParser(app, config.limits.maxBatchBytes);
  installErrorHandling(app, metrics);
  app.addHook('onResponse', async (request, reply) => {
    metrics.latency.observe(
      { route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode },
      reply.elapsedTime / 1000,
    );
  });

  app.register(async (scope) => {
    const ctx = await createContext(scope, config, metrics, options.sinks ?? [], {
      now: options.now ?? Date.now,
      tickMs: options.engineTickMs ?? ENGINE_TICK_MS,
    });
    await scope.register((s) => ingestRoutes(s, ctx));
    await scope.register((s) => readRoutes(s, ctx));
    await scope.register((s) => profileRoutes(s, ctx));
    await scope.register((s) => opsRoutes(s, ctx));
    await scope.register((s) => definitionRoutes(s, ctx));
  });
  const demo = options.demo;
  if (demo) app.register((s) => demoRoutes(s, demo));
  return app;
}

async function createContext(
  app: FastifyInstance,
  config: CollectorConfig,
  metrics: Metrics,
  extraSinks: Sink[],
  clock: { now: () => number; tickMs: number },
): Promise<CollectorContext> {
  const store = await openSqliteStore({
    dataDir: config.dataDir,
    sync: config.sqliteSync,
    identity: config.identity && {
      rules: config.identity,
      cacheSize: IDENTITY_CACHE_SIZE,
      maxRecompute: MAX_RECOMPUTE_IDENTIFIERS,
    },
  });
  let definitionsChanged = false;
  if (config.definitionsFile) {
    const loaded = await loadDefinitionsFile(store, config.definitionsFile).catch(
      async (error: unknown) => {
        await store.close();
        throw error;
      },
    );
    app.log.info(loaded, 'definitions loaded');
    definitionsChanged = loaded.changed > 0;
  }
  const activation = new Activation(store, clock.now, app.log);
  const engine = new EngineSink(store, clock.now, app.log, config.dayOffsetMinutes, () =>
    activation.wake(),
  );
  await engine.reload(definitionsChanged);
  await activation.reload();
  const ingest = await createIngestPool(
    config.ingestThreads,
    {
      limits: config.limits,
      identityTypes: config.identityTypes,
      identity: config.identity,
      purchaseEvents: config.identity?.purchaseEvents ?? [],
      maxFutureMs: config.maxFutureSeconds * 1000,
      maxPastMs: config.maxPastDays * 86_400_000,
      writeKeys: config.writeKeys,
    },
    app.log,
  );
  const sinks = [engine, ...config.webhooks.map((w) => createWebhookSink(w)), ...extraSinks];
  const forwarder = new Forwarder(store, sinks, metrics, app.log);
  const committer = new GroupCommitter(store, await store.lastSeq(), (rows, seconds, identity) => {
    metrics.commitRows.observe(rows);
    metrics.commitSeconds.observe(seconds);
    if (identity) reportIdentity(identity, metrics, app.log);
    forwarder.wake();
  });
  const ctx: CollectorContext = {
    config,
    store,
    committer,
    forwarder,
    metrics,
    keyring: createKeyring(config.writeKeys),
    ingest,
    log: app.log,
    closing: false,
    engine,
    activation,
  };
  await forwarder.start();
  const pruner = startDedupePruner(store, config.dedupeWindowDays, app);
  const scheduler = startEngineScheduler(engine, app, clock.tickMs);
  app.addHook('preClose', async () => {
    ctx.closing = true;
  });
  // server.close() only reaps sockets idle at that moment: a keep-alive socket whose request was
  // in flight would hold the drain (and the exit on SIGTERM) open until its keep-alive timeout.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (ctx.closing) reply.header('connection', 'close');
    return payload;
  });
  app.addHook('onClose', async () => {
    clearInterval(pruner);
    clearInterval(scheduler);
    await engine.idle();
    await activation.stop();
    await committer.idle();
    await forwarder.stop();
    await ingest.close();
    await store.close();
  });
  return ctx;
}

/** Counts and logs what identity resolution did in one commit. */
function reportIdentity(report: IdentityReport, metrics: Metrics, log: FastifyBaseLogger): void {
  if (report.merges > 0) metrics.identityMerges.inc(report.merges);
  const full = report.recomputes - report.truncated;
  if (full > 0) metrics.identityRecomputes.inc({ scope: 'component' }, full);
  if (report.truncated > 0) {
    metrics.identityRecomputes.inc({ scope: 'profiles' }, report.truncated);
    log.warn({ count: report.truncated }, 'identity recompute limited to the touched profiles');
  }
  for (const r of report.refused) metrics.identityRefused.inc({ reason: r.reason });
  const unlisted = report.refusedCount - report.refused.length;
  if (unlisted > 0) metrics.identityRefused.inc({ reason: 'unlisted' }, unlisted);
  if (report.refusedCount > 0) {
    log.warn({ refused: report.refused, total: report.refusedCount }, 'identity links refused');
  }
}

function startDedupePruner(store: EventStore, days: number, app: FastifyInstance): NodeJS.Timeout {
  const prune = async () => {
    const before = Date.now() - days * 86_400_000;
    let total = 0;
    // Until a call finds nothing more: the last call is also what trims the in-memory index.
    for (let n = 1; n > 0; total += n) n = await store.pruneDedupe(before);
    if (total > 0) app.log.info({ pruned: total }, 'expired dedupe keys pruned');
  };
  const run = () => {
    prune().catch((error: unknown) => app.log.error({ err: error }, 'dedupe pruning failed'));
  };
  setImmediate(run);
  return setInterval(run, PRUNE_INTERVAL_MS).unref();
}

function installErrorHandling(app: FastifyInstance, metrics: Metrics): void {
  app.setErrorHandler((error: FastifyError | SpoorError, request, reply) => {
    let spoor: SpoorError;
    if (error instanceof SpoorError) spoor = error;
    else if (error.code && FASTIFY_CODES[error.code])
      spoor = new SpoorError(FASTIFY_CODES[error.code] as RequestErrorCode);
    else if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      spoor = new SpoorError('bad_request', error.message);
    } else {
      request.log.error({ err: error }, 'unhandled error');
      spoor = new SpoorError('internal_error');
    }
    metrics.requestErrors.inc({ code: spoor.code });
    if (spoor.retryAfter !== undefined) reply.header('retry-after', String(spoor.retryAfter));
    return reply.code(spoor.statusCode).send(spoor.toBody());
  });
  app.setNotFoundHandler((_request, reply) => {
    metrics.requestErrors.inc({ code: 'not_found' });
    return reply.code(404).send({ code: 'not_found', message: REQUEST_ERRORS.not_found.message });
  });
}

/**
 * Answers requests Node's HTTP parser refuses before Fastify sees them (a malformed
 * Content-Length, Content-Length with Transfer-Encoding, oversized headers) with a registry
 * body, like every other error; Fastify's default answer has no `code`.
 */
function answerClientError(error: Error & { code?: string }, socket: Socket, metrics: Metrics) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  metrics.requestErrors.inc({ code: 'bad_request' });
  if (socket.writable) {
    const body = JSON.stringify(new SpoorError('bad_request').toBody());
    socket.write(
      'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n' +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
