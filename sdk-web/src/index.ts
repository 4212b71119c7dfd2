export { createSpoor, type Spoor } from './spoor.js';
export type { WebOptions, WebPlugin } from './options.js';
export type {
  CallOptions,
  ClientError,
  Consent,
  DeliveryStats,
  DropNotice,
  DropReason,
  OutgoingEvent,
} from '@spoor/sdk-core';
