import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The collector's Prometheus metrics; one registry per collector instance. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'spoor_process_' });
  const registers = [registry];
  return {
    registry,
    received: new Counter({
      name: 'spoor_events_received_total',
      help: 'Events received, valid or not',
      labelNames: ['source'],
      registers,
    }),
    accepted: new Counter({
      name: 'spoor_events_accepted_total',
      help: 'Events stored',
      labelNames: ['source'],
      registers,
    }),
    rejected: new Counter({
      name: 'spoor_events_rejected_total',
      help: 'Events refused, by first error code',
      labelNames: ['source', 'code'],
      registers,
    }),
    duplicates: new Counter({
      name: 'spoor_events_duplicate_total',
      help: 'Events acknowledged again without being stored (same source and messageId)',
      labelNames: ['source'],
      registers,
    }),
    conflicts: new Counter({
      name: 'spoor_events_conflict_total',
      help: 'Duplicates whose payload differed from the stored event (the first one wins)',
      labelNames: ['source'],
      registers,
    }),
    suppressed: new Counter({
      name: 'spoor_events_suppressed_total',
      help: 'Events dropped because they carry an identifier on the suppression list',
      labelNames: ['source'],
      registers,
    }),
    identityMerges: new Counter({
      name: 'spoor_identity_merges_total',
      help: 'Profiles merged by identity links',
      registers,
    }),
    identityRefused: new Counter({
      name: 'spoor_identity_links_refused_total',
      help: 'Identity links not merged by the merge rules, by reason',
      labelNames: ['reason'],
      registers,
    }),
    identityRecomputes: new Counter({
      name: 'spoor_identity_recomputes_total',
      help: 'Parts of the identity graph replayed (links out of order, unlinks)',
      labelNames: ['scope'],
      registers,
    }),
    requestErrors: new Counter({
      name: 'spoor_request_errors_total',
      help: 'Requests answered with an error, by code',
      labelNames: ['code'],
      registers,
    }),
    latency: new Histogram({
      name: 'spoor_request_duration_seconds',
      help: 'Request latency from receipt to response',
      labelNames: ['route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    commitSeconds: new Histogram({
      name: 'spoor_commit_duration_seconds',
      help: 'Duration of one group commit (transaction and fsync)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    }),
    prepareSeconds: new Histogram({
      name: 'spoor_ingest_prepare_seconds',
      help: 'Time a request spends with the ingest threads (queueing, decoding, validating)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    }),
    commitRows: new Histogram({
      name: 'spoor_commit_rows',
      help: 'Rows per group commit',
      buckets: [1, 10, 100, 500, 1000, 2500, 5000, 10000, 20000],
      registers,
    }),
    pending: new Gauge({
      name: 'spoor_pending_events',
      help: 'Events parsed and waiting for their commit',
      registers,
    }),
    outboxLag: new Gauge({
      name: 'spoor_outbox_lag_events',
      help: 'Stored events a sink has not yet received',
      labelNames: ['sink'],
      registers,
    }),
    sinkFailures: new Counter({
      name: 'spoor_sink_failures_total',
      help: 'Failed deliveries to a sink (each is retried)',
      labelNames: ['sink'],
      registers,
    }),
  };
}

/** The metrics object a collector carries. */
export type Metrics = ReturnType<typeof createMetrics>;
