import { VISITOR_BATCH } from './identity-traffic.js';
import { runAutocannon } from './load.js';

/**
 * Closed-loop load at full speed (load.js's runAutocannon, for batches of {@link VISITOR_BATCH}
 * events): `connections` clients each send the next visitor batch as soon as the previous
 * answer arrives. Rates count only 2xx answers.
 */
export async function runVisitors({ url, auth, traffic, connections, seconds }) {
  const run = await runAutocannon({
    url,
    auth,
    pool: traffic,
    connections,
    seconds,
    batchSize: VISITOR_BATCH,
  });
  // identity.json leaves `abandoned` out: its verification counts what the collector answered.
  const { abandoned: _abandoned, ...result } = run;
  return result;
}
