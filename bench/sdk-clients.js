// The two server SDKs that sdk-node.js compares, behind one small interface, and the workload
// both are given: the same `track` call (a userId and a small properties object, built fresh
// for every call as a service would) with the same batching settings. The SDKs are imported
// only by the child processes that measure them (and so only when their dist is built).

export const SDKS = ['spoor', 'segment'];
export const SDK_NAMES = { spoor: '@spoor/node', segment: '@segment/analytics-node' };
const EVENT = 'Order Completed';

/** Call `i`'s user and properties: about 200 B of JSON, five users in a thousand distinct. */
export function callAt(i) {
  return {
    userId: `user-${i % 5000}`,
    properties: {
      order_id: `o-${100000 + i}`,
      revenue: 20 + (i % 80) + 0.5,
      currency: 'EUR',
      coupon: i % 4 === 0 ? 'SPRING26' : null,
      products: [{ sku: `sku-${i % 40}`, quantity: 1 + (i % 3), price: 12.9 }],
    },
  };
}

/**
 * One SDK, ready to take calls. `settings`: host, writeKey, flushAt, flushInterval (ms), timeout
 * (ms), maxQueueSize (Spoor only: Segment keeps every undelivered event, it has no cap).
 * Returns { track(i), settled(n), delivered(), failed(), queued(), close(ms) }: `settled(n)`
 * resolves once n calls have done all their work short of the network (the events sit in the
 * SDK's outgoing queue or batch); `failed()` counts events given up or dropped.
 */
export async function createSdk(sdk, settings) {
  if (sdk === 'spoor') return createSpoor(settings);
  if (sdk === 'segment') return createSegment(settings);
  throw new Error(`unknown SDK ${sdk}`);
}

async function createSpoor({ host, writeKey, flushAt, flushInterval, timeout, maxQueueSize }) {
  // Out-of-range options fall back to the defaults silently (flushAt 5000 becomes 20): refuse
  // them here so a run never measures other settings than it reports.
  if (flushAt > 2500 || flushInterval > 3_600_000 || timeout > 600_000)
    throw new Error(
      '@spoor/node takes flushAt ≤ 2500, flushInterval ≤ 3,600,000, timeout ≤ 600,000',
    );
  const { Spoor } = await import('@spoor/node');
  const client = new Spoor({ writeKey, host, flushAt, flushInterval, timeout, maxQueueSize });
  const problems = [];
  client.on('error', (e) => problems.push(`${e.code}: ${e.message}`));
  // The client loads its (memory) state asynchronously and holds calls until then; a service
  // makes its first call long after start-up, so the timed calls wait for that too.
  await new Promise((resolve) => setImmediate(resolve));
  return {
    problems,
    track(i) {
      const { userId, properties } = callAt(i);
      client.track(EVENT, properties, { userId });
    },
    async settled(n) {
      // Calls queue synchronously; the client's own follow-up (persisting the queue) runs in
      // the next microtask, done by the next macrotask.
      await new Promise((resolve) => setImmediate(resolve));
      const { enqueued } = client.stats();
      if (enqueued !== n) throw new Error(`@spoor/node took ${enqueued} of ${n} calls`);
    },
    delivered: () => client.stats().delivered,
    failed: () => Object.values(client.stats().dropped).reduce((a, b) => a + b, 0),
    queued: () => client.stats().queued,
    close: (ms) => client.close(ms),
  };
}

async function createSegment({ host, writeKey, flushAt, flushInterval, timeout }) {
  const { Analytics } = await import('@segment/analytics-node');
  const analytics = new Analytics({
    writeKey,
    host,
    flushAt,
    flushInterval,
    httpRequestTimeout: timeout,
  });
  await analytics.ready;
  const problems = [];
  let delivered = 0;
  let failed = 0;
  analytics.on('track', () => delivered++);
  analytics.on('error', (e) => {
    if (e.code === 'delivery_failure') failed++;
    else problems.push(`${e.code}: ${String(e.reason)}`);
  });
  // A call reaches the batch after the SDK's plugin pipeline has run, a few timer turns later.
  // Counted where the SDK's Segment.io destination hands it to its publisher: one counter
  // increment per event, no other change to the SDK.
  const publisher = analytics._publisher;
  const enqueue = publisher.enqueue;
  let batched = 0;
  publisher.enqueue = (ctx) => {
    batched++;
    return enqueue.call(publisher, ctx);
  };
  return {
    problems,
    track(i) {
      const { userId, properties } = callAt(i);
      analytics.track({ userId, event: EVENT, properties });
    },
    async settled(n) {
      const deadline = performance.now() + 300_000;
      while (batched < n) {
        if (performance.now() > deadline)
          throw new Error(`@segment/analytics-node batched ${batched} of ${n} calls in 5 min`);
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    delivered: () => delivered,
    failed: () => failed,
    // Events taken and not yet delivered or given up: all of them are held in memory.
    queued: () => analytics._pendingEvents,
    close: (ms) => analytics.closeAndFlush({ timeout: ms }),
  };
}
