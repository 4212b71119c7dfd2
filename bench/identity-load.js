import autocannon from 'autocannon';
import { VISITOR_BATCH } from './identity-traffic.js';

/**
 * Closed-loop load at full speed (as load.js's runAutocannon, for batches of
 * {@link VISITOR_BATCH} events): `connections` clients each send the next visitor batch as soon
 * as the previous answer arrives. Rates count only 2xx answers.
 */
export async function runVisitors({ url, auth, traffic, connections, seconds }) {
  const acks = { ok: 0, bad: 0 };
  const result = await autocannon({
    url: `${url}/v1/batch`,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: auth },
        // autocannon copies the body into its request buffer at once, so the pool may reuse it.
        setupRequest: (req) => ({ ...req, body: traffic.nextBody() }),
        onResponse: (status, body) => {
          if (status !== 200) return;
          if (storedWholeBatch(body)) acks.ok++;
          else acks.bad++;
        },
      },
    ],
  });
  const ok = result['2xx'];
  return {
    connections,
    seconds: result.duration,
    requests: ok,
    eventsPerSec: (ok * VISITOR_BATCH) / result.duration,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    statuses: Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]),
    ),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    fullyAccepted: acks.ok,
    partiallyAccepted: acks.bad,
  };
}

function storedWholeBatch(body) {
  try {
    const r = JSON.parse(body);
    return r.accepted === VISITOR_BATCH && r.duplicates === 0 && r.rejected.length === 0;
  } catch {
    return false;
  }
}
