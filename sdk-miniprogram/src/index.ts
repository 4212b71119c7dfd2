export { createSpoor, type Spoor } from './spoor.js';
export type { Autocapture, MiniProgramOptions } from './options.js';
export type {
  CallOptions,
  ClientEvents,
  DeliveryStats,
  OutgoingEvent,
  Plugin,
} from '@spoor/sdk-core';
