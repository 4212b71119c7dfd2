export { buildCollector, type CollectorOptions } from './app.js';
export { loadConfig, CONFIG_DEFAULTS, DEFAULT_IDENTITY_TYPES } from './config.js';
export type {
  CollectorConfig,
  WriteKey,
  WebhookConfig,
  ConfigResult,
  EnvConfig,
} from './config.js';
export { ensureDevCredentials } from './dev-credentials.js';
export { SpoorError } from './errors.js';
export type { DemoOptions } from './plugins/demo.js';
export type { Sink } from './outbox/sink.js';
export { eventsToJson } from './outbox/sink.js';
export { createWebhookSink } from './outbox/webhook-sink.js';
export type { EventStore, StoredEvent } from './store/types.js';
export { openSqliteStore, DB_FILE } from './store/sqlite-store.js';
