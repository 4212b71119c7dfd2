import type { FastifyBaseLogger } from 'fastify';
import type { CollectorConfig } from './config.js';
import type { Activation } from './definitions/activation.js';
import type { EngineSink } from './definitions/engine-sink.js';
import type { Metrics } from './metrics.js';
import type { Keyring } from './plugins/auth.js';
import type { IngestPool } from './pipeline/ingest-pool.js';
import type { Forwarder } from './outbox/forwarder.js';
import type { GroupCommitter } from './store/group-commit.js';
import type { EventStore } from './store/types.js';

/** What a collector's plugins share: configuration, storage and instrumentation. */
export interface CollectorContext {
  config: CollectorConfig;
  store: EventStore;
  committer: GroupCommitter;
  forwarder: Forwarder;
  metrics: Metrics;
  keyring: Keyring;
  /** Prepares ingest requests on worker threads. */
  ingest: IngestPool;
  log: FastifyBaseLogger;
  /** Set once shutdown begins: new ingest requests are refused with 503. */
  closing: boolean;
  /** The tag and segment engine. */
  engine: EngineSink;
  /** Delivery of membership changes to destinations. */
  activation: Activation;
}
