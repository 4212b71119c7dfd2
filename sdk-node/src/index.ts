export { Spoor, type SpoorOptions } from './spoor.js';
export { createHttpTransport, type HttpTransportOptions } from './transport.js';
export type {
  CallOptions,
  ClientError,
  DeliveryStats,
  DropNotice,
  DropReason,
  Plugin,
} from '@spoor/sdk-core';
