import { Agent, request } from 'node:http';
import autocannon from 'autocannon';
import { BATCH_SIZE } from './events.js';

/**
 * Closed-loop load with autocannon: `connections` clients each send the next body as soon as
 * the previous answer arrives (or, with `overallRate`, up to a per-second quota). Every request
 * carries a fresh body of `batchSize` events from `pool`. Rates count only 2xx answers.
 */
export async function runAutocannon({
  url,
  auth,
  pool,
  connections,
  seconds,
  overallRate,
  batchSize = BATCH_SIZE,
}) {
  const acks = { ok: 0, bad: 0 };
  const result = await autocannon({
    url: `${url}/v1/batch`,
    connections,
    duration: seconds,
    // autocannon's coordinated-omission correction assumes an interval of ceil(1 / rate) ms,
    // i.e. 1 ms, and would pad every slow answer with synthetic 1 ms steps: keep raw latencies.
    ...(overallRate ? { overallRate, ignoreCoordinatedOmission: true } : {}),
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
        // autocannon copies the body into its request buffer at once, so the pool may reuse it.
        setupRequest: (req) => ({ ...req, body: pool.nextBody() }),
        onResponse: auth ? (status, body) => checkAck(acks, status, body, batchSize) : undefined,
      },
    ],
  });
  const ok = result['2xx'];
  return {
    connections,
    seconds: result.duration,
    requests: ok,
    eventsPerSec: (ok * batchSize) / result.duration,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    statuses: Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]),
    ),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    // Sent but never answered before autocannon stopped; the server may still have stored them.
    abandoned: Math.max(0, result.requests.sent - result.requests.total - result.errors),
    ...(auth ? { fullyAccepted: acks.ok, partiallyAccepted: acks.bad } : {}),
  };
}

/**
 * Open-loop load at a steady `rate` (requests/s): request i is due at start + i/rate whether
 * or not earlier ones have been answered, and its latency counts from that due time, so a
 * stalled server shows up in the percentiles instead of silently slowing the generator down.
 * autocannon's `overallRate` instead lets each connection send its per-second quota at full
 * speed and then idle, which measures bursts at the maximum rate rather than 70 % load.
 */
export async function runPaced({ url, auth, pool, rate, seconds, maxSockets }) {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const target = new URL(`${url}/v1/batch`);
  const total = Math.round(rate * seconds);
  const latencies = [];
  const statuses = {};
  const acks = { ok: 0, bad: 0 };
  let errors = 0;
  let sent = 0;
  let done = 0;
  const start = performance.now();
  await new Promise((resolve) => {
    const send = (due) => {
      // Copied: the pool reuses its buffers, and this one may wait in the agent's queue.
      const body = Buffer.from(pool.nextBody());
      const req = request(target, {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          authorization: auth,
        },
      });
      const finish = () => {
        if (++done === total) resolve();
      };
      req.on('response', (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          latencies.push(performance.now() - due);
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
          checkAck(acks, res.statusCode, Buffer.concat(chunks).toString(), BATCH_SIZE);
          finish();
        });
      });
      req.on('error', () => {
        errors++;
        finish();
      });
      req.end(body);
    };
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      for (; sent < due; sent++) send(start + (sent * 1000) / rate);
      if (sent === total) clearInterval(timer);
    }, 1);
  });
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q) =>
    round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]);
  const ok = Object.entries(statuses).reduce((n, [s, c]) => n + (s.startsWith('2') ? c : 0), 0);
  return {
    rate,
    seconds: round(elapsed),
    requests: ok,
    eventsPerSec: (ok * BATCH_SIZE) / seconds,
    latencyMs: { p50: at(0.5), p99: at(0.99), max: round(latencies.at(-1)) },
    statuses,
    non2xx: total - ok - errors,
    errors,
    fullyAccepted: acks.ok,
    partiallyAccepted: acks.bad,
  };
}

/**
 * Sorts 200 answers into those that stored the whole batch of `batchSize` events as new and the
 * rest (rejections or duplicates: the harness or the collector is broken). Other statuses are
 * counted by status.
 */
function checkAck(acks, status, body, batchSize) {
  if (status !== 200) return;
  if (storedWholeBatch(body, batchSize)) acks.ok++;
  else acks.bad++;
}

function storedWholeBatch(body, batchSize) {
  try {
    const r = JSON.parse(body);
    return r.accepted === batchSize && r.duplicates === 0 && r.rejected.length === 0;
  } catch {
    return false;
  }
}

const round = (n) => (n === undefined ? null : Math.round(n * 100) / 100);
