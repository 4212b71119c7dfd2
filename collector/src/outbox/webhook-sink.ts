import type { WebhookConfig } from '../config.js';
import { eventsToJson, type Sink } from './sink.js';

/** How long one webhook POST may take before it counts as failed and is retried. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * POSTs batches of accepted events to an HTTP endpoint as `{"events":[…]}`. Each event carries
 * its `seq` and `messageId`, and each request an `Idempotency-Key` naming the seq range: after a
 * crash between delivery and cursor update the receiver can recognise what it already has.
 * Any non-2xx answer, timeout or network error is retried by the forwarder.
 */
export function createWebhookSink(config: WebhookConfig, batchSize = 500): Sink {
  return {
    name: `webhook:${config.name}`,
    batchSize,
    async deliver(events, signal) {
      const first = events[0]?.seq;
      const last = events.at(-1)?.seq;
      const response = await fetch(config.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'spoor-collector',
          'idempotency-key': `${config.name}:${first}-${last}`,
        },
        body: `{"events":${eventsToJson(events)}}`,
        signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`${config.url} answered ${response.status}`);
    },
  };
}
