// One SDK measurement in a fresh process, started by sdk-node.js: argv[2] is JSON with `mode`
// (enqueue, memory or deliver), `sdk` (spoor or segment), `n` (calls), `settings` (for
// createSdk) and the mode's own fields. The result goes back over IPC as a `result` message.
import { performance } from 'node:perf_hooks';
import { callAt, createSdk } from './sdk-clients.js';

const job = JSON.parse(process.argv[2] ?? '{}');
const MODES = { enqueue, memory, deliver };
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const round = (v, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * Enqueue cost: `n` calls in a tight loop, then until every event sits in the SDK's outgoing
 * queue or batch (Segment does most of its per-event work in later timer turns). The server
 * never answers, so no delivery work follows the first requests. Stops early past `budgetMs`.
 */
async function enqueue({ sdk, n, settings, budgetMs, sliceSize }) {
  // The workload alone (building each call's arguments), which also warms that code up.
  let sink = 0;
  const b0 = performance.now();
  for (let i = 0; i < n; i++) sink += callAt(i).properties.products.length;
  const baselineUs = ((performance.now() - b0) * 1000) / n;
  if (sink === 0) throw new Error('empty workload');
  const client = await createSdk(sdk, settings);
  const cpu0 = process.cpuUsage();
  const run = await timedCalls(client, n, budgetMs, sliceSize);
  const cpu = process.cpuUsage(cpu0);
  return {
    ...run,
    baselineUsPerCall: round(baselineUs, 3),
    cpuUsPerCall: round((cpu.user + cpu.system) / run.calls),
    queued: client.queued(),
    problems: client.problems.slice(0, 5),
  };
}

/**
 * Memory held per queued event: heap after a full GC before and after `n` calls to an SDK whose
 * server never delivers (refuses connections or never answers), once the SDK has settled.
 */
async function memory({ sdk, n, settings, budgetMs, holdMs }) {
  if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc');
  const client = await createSdk(sdk, settings);
  const before = measureHeap();
  const run = await timedCalls(client, n, budgetMs, n);
  // Let the first requests fail (or hang) and the SDK reach its steady outage state.
  await new Promise((resolve) => setTimeout(resolve, holdMs));
  const after = measureHeap();
  const queued = client.queued();
  const per = (k) => Math.round((after[k] - before[k]) / queued);
  return {
    calls: run.calls,
    complete: run.complete,
    fillMs: run.settledMs,
    queued,
    failed: client.failed(),
    bytesPerEvent: per('heapUsed'),
    externalBytesPerEvent: per('external'),
    rssBytesPerEvent: per('rss'),
    heapUsedMiB: { before: mib(before.heapUsed), after: mib(after.heapUsed) },
    problems: client.problems.slice(0, 5),
  };
}

/**
 * Delivery: `n` calls, `chunk` per event-loop turn as a busy service makes them, then close()
 * (closeAndFlush() for Segment); the rate counts from the first call to everything delivered.
 * Calls stop early once `budgetMs` has passed; what was called is still delivered and counted.
 */
async function deliver({ sdk, n, settings, chunk, closeMs, budgetMs }) {
  const client = await createSdk(sdk, settings);
  const t0 = performance.now();
  const deadline = t0 + budgetMs;
  let calls = 0;
  while (calls < n && performance.now() < deadline) {
    for (const end = Math.min(n, calls + chunk); calls < end; calls++) client.track(calls);
    await nextTurn();
  }
  const producedMs = performance.now() - t0;
  await client.close(closeMs);
  const ms = performance.now() - t0;
  const outcome = { delivered: client.delivered(), failed: client.failed() };
  return {
    ...outcome,
    calls,
    complete: calls === n,
    producedMs: round(producedMs),
    seconds: round(ms / 1000, 3),
    eventsPerSec: Math.round((calls * 1000) / ms),
    problems: client.problems.slice(0, 5),
  };
}

/** `n` calls (fewer if `budgetMs` runs out), timing each slice of `sliceSize`, then settling. */
async function timedCalls(client, n, budgetMs, sliceSize) {
  const slices = [];
  const t0 = performance.now();
  const deadline = t0 + budgetMs;
  let sliceStart = t0;
  let calls = 0;
  for (; calls < n; calls++) {
    if (calls % 1000 === 0 && calls > 0) {
      const now = performance.now();
      if (calls % sliceSize === 0) {
        slices.push(round(((now - sliceStart) * 1000) / sliceSize));
        sliceStart = now;
      }
      if (now > deadline) break;
    }
    client.track(calls);
  }
  const loopMs = performance.now() - t0;
  const rest = calls % sliceSize;
  if (rest >= 1000 && slices.length > 0)
    slices.push(round(((t0 + loopMs - sliceStart) * 1000) / rest));
  await client.settled(calls);
  const settledMs = performance.now() - t0;
  return {
    calls,
    complete: calls === n,
    loopMs: round(loopMs),
    settledMs: round(settledMs),
    callsPerSec: Math.round((calls * 1000) / settledMs),
    usPerCall: round((settledMs * 1000) / calls),
    loopUsPerCall: round((loopMs * 1000) / calls),
    // µs per call in the loop, slice by slice: flat if a call's cost does not grow with the queue.
    sliceUsPerCall: slices,
  };
}

function measureHeap() {
  for (let i = 0; i < 3; i++) globalThis.gc();
  const { heapUsed, external, rss } = process.memoryUsage();
  return { heapUsed, external, rss };
}

const mib = (bytes) => round(bytes / 2 ** 20, 1);

const run = MODES[job.mode];
if (!run) throw new Error(`unknown mode ${job.mode}`);
const result = await run(job);
// Sockets and timers of an undelivered queue would keep the process alive: leave at once.
process.send({ type: 'result', ...result }, () => process.exit(0));
