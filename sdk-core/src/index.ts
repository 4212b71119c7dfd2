export { createClient, type SpoorClient } from './api.js';
export type { CallOptions, PersistedEvent } from './client.js';
export type { ClientOptions } from './options.js';
export { MAX_EVENT_BYTES, resolveOptions } from './options.js';
export type {
  Platform,
  Transport,
  TransportRequest,
  TransportResult,
  KeyValueStorage,
} from './platform.js';
export { createMemoryStorage } from './platform.js';
export type { Plugin, OutgoingEvent } from './plugins.js';
export { DROP_REASONS, type DropReason, type DropNotice, type DeliveryStats } from './drops.js';
export type { ClientError, ClientEvents } from './emitter.js';
export type { Consent } from './state.js';
export { backoffDelay, retryAfterMs } from './backoff.js';
export { sanitize } from './sanitize.js';
export { campaignOf } from './campaign.js';
