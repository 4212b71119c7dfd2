// @spoor/node against @segment/analytics-node, the same workload through both in the same run:
// enqueue cost (`track` calls/s), delivery rate to the real collector (verified: stored = sent)
// and memory per queued event while the collector is down. Every measurement runs in a fresh
// child process (sdk-node-child.js); the SDKs take turns, the order alternating by round.
// Part of `pnpm bench` (after identity.js; BENCH_SDK=0 skips it) and runnable alone after
// `pnpm build`: `node bench/sdk-node.js`. It uses the built packages (dist).
// Environment: BENCH_SDK_CALLS (enqueue calls per run, default 200,000), BENCH_SDK_EVENTS
// (events delivered per run, default 100,000), BENCH_SDK_QUEUED (events queued for the memory
// figure, default 100,000), BENCH_SDK_ROUNDS (enqueue and delivery runs per SDK, default 2),
// BENCH_SDK_BUDGET (s the calls of one run may take; past it the run stops calling, delivers
// or measures what it has, and says so; default 20), BENCH_SDK_CHUNK (calls per event-loop
// turn in the delivery runs, default 1,000),
// BENCH_SDK_FLUSH_AT (events per request in the delivery and memory runs, default 100).
// Exits non-zero only when the benchmark breaks or stored and sent events disagree.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { startChild } from './child.js';
import { fmt, positive, RESULTS_DIR, WRITE_KEY } from './common.js';
import { describeMachine } from './report.js';
import { SDK_NAMES, SDKS } from './sdk-clients.js';
import { buildState, formatSdkTable, summarize } from './sdk-node-report.js';
import { verificationResult } from './verify.js';

const log = (...args) => console.log(...args);

/** Runs the SDK benchmark; resolves with whether every delivery run's verification passed. */
export async function runSdkBenchmark() {
  const settings = {
    enqueueCalls: Math.round(positive('BENCH_SDK_CALLS', 200_000)),
    deliveryEvents: Math.round(positive('BENCH_SDK_EVENTS', 100_000)),
    queuedEvents: Math.round(positive('BENCH_SDK_QUEUED', 100_000)),
    rounds: Math.ceil(positive('BENCH_SDK_ROUNDS', 2)),
    budgetSeconds: positive('BENCH_SDK_BUDGET', 20),
    chunk: Math.round(positive('BENCH_SDK_CHUNK', 1000)),
    flushAt: Math.round(positive('BENCH_SDK_FLUSH_AT', 100)),
    flushIntervalMs: 1000,
  };
  const machine = describeMachine();
  log(`\nSDK benchmark — ${SDKS.map((s) => SDK_NAMES[s]).join(' vs ')}, built packages`);
  log(
    `${machine.nproc} cores, node ${machine.node}, load average ${machine.loadAverage.join(' ')}; ${settings.rounds} rounds, order alternating\n`,
  );
  const sink = await startSilentServer();
  const refusedUrl = await unusedPortUrl();
  try {
    const enqueue = await measureEnqueue(settings, sink.url);
    const delivery = await measureDelivery(settings);
    const memory = await measureMemory(settings, { refused: refusedUrl, hanging: sink.url });
    const results = {
      date: new Date().toISOString(),
      machine: { ...machine, loadAverageAtEnd: describeMachine().loadAverage },
      settings,
      build: buildState(),
      enqueue,
      delivery,
      memory,
    };
    results.summary = summarize(results);
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(new URL('sdk-node.json', RESULTS_DIR), `${JSON.stringify(results, null, 2)}\n`);
    log(`\n${formatSdkTable(results)}\n`);
    for (const warning of results.build.warnings) log(`warning: ${warning}`);
    log(`load average at end: ${results.machine.loadAverageAtEnd.join(' ')}`);
    log('results written to bench/results/sdk-node.json');
    const failed = delivery.filter((r) => !r.verification.ok);
    for (const r of failed)
      console.error(`\nSDK verification failed (${r.sdk}): ${r.verification.problems.join('; ')}`);
    return failed.length === 0;
  } finally {
    await sink.close();
  }
}

/** Which SDK goes first in `round`: the order alternates to spread the machine's drift. */
const orderOf = (round) => (round % 2 === 0 ? SDKS : [...SDKS].reverse());

/** Enqueue cost: the server never answers, flushAt and flushInterval at their largest. */
async function measureEnqueue(settings, host) {
  const n = settings.enqueueCalls;
  log(
    `enqueue: ${fmt(n)} track calls in a tight loop per run, a server that never answers, flushAt 2,500, flushInterval 1 h`,
  );
  const runs = [];
  for (let round = 0; round < settings.rounds; round++) {
    for (const sdk of orderOf(round)) {
      const r = await runChild({
        mode: 'enqueue',
        sdk,
        n,
        budgetMs: settings.budgetSeconds * 1000,
        sliceSize: 10_000,
        settings: sdkSettings({ host, flushAt: 2500, flushInterval: 3_600_000 }, n),
      });
      runs.push({ sdk, round, ...r });
      const slices = r.sliceUsPerCall;
      log(
        `  ${SDK_NAMES[sdk].padEnd(24)} ${fmt(r.callsPerSec)} calls/s, ${r.usPerCall} µs per call (loop alone ${r.loopUsPerCall} µs, CPU ${r.cpuUsPerCall} µs)` +
          (slices.length > 1
            ? `; per call, first 10k ${slices[0]} µs, last ${slices.at(-1)} µs`
            : '') +
          (r.complete
            ? ''
            : `; STOPPED after ${fmt(r.calls)} calls (${settings.budgetSeconds} s budget)`),
      );
    }
  }
  return runs;
}

/** Delivery rate to a fresh real collector per run; stored events checked against those sent. */
async function measureDelivery(settings) {
  const n = settings.deliveryEvents;
  log(
    `\ndelivery: ${fmt(n)} events per run, ${fmt(settings.chunk)} calls per event-loop turn, flushAt ${settings.flushAt}, to the collector (synchronous=FULL, fresh data dir)`,
  );
  const runs = [];
  for (let round = 0; round < settings.rounds; round++) {
    for (const sdk of orderOf(round)) runs.push(await deliverOnce(sdk, round, settings));
  }
  return runs;
}

async function deliverOnce(sdk, round, settings) {
  const dataDir = mkdtempSync(join(tmpdir(), `spoor-bench-sdk-${sdk}-`));
  const server = startChild('./collector-server.js', [dataDir, WRITE_KEY]);
  try {
    const { url } = await server.next('ready');
    const n = settings.deliveryEvents;
    const r = await runChild({
      mode: 'deliver',
      sdk,
      n,
      chunk: settings.chunk,
      budgetMs: settings.budgetSeconds * 1000,
      closeMs: 300_000,
      settings: sdkSettings(
        { host: url, flushAt: settings.flushAt, flushInterval: settings.flushIntervalMs },
        n,
      ),
    });
    server.send({ type: 'close' });
    const { acked } = await server.next('closed');
    await server.finished();
    const verification = verifyDelivery(join(dataDir, 'spoor.db'), sdk, r.calls, acked, r);
    log(
      `  ${SDK_NAMES[sdk].padEnd(24)} ${fmt(r.eventsPerSec)} events/s (${fmt(r.calls)} in ${r.seconds} s; calls made in ${r.producedMs} ms); ${fmt(verification.stored)} stored, ${verification.ok ? 'verified' : `VERIFICATION FAILED: ${verification.problems.join('; ')}`}` +
        (r.complete ? '' : `; calls STOPPED at the ${settings.budgetSeconds} s budget`),
    );
    return { sdk, round, ...r, verification };
  } finally {
    server.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Every event sent is stored once, from this SDK, acknowledged, and counted delivered by it. */
function verifyDelivery(dbFile, sdk, sent, acked, run) {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  const count = (sql) => db.prepare(sql).pluck().get();
  const stored = count('SELECT count(*) FROM events');
  const distinct = count('SELECT count(DISTINCT message_id) FROM events');
  const fromSdk = db
    .prepare(
      "SELECT count(*) FROM events WHERE json_extract(payload, '$.context.library.name') = ?",
    )
    .pluck()
    .get(SDK_NAMES[sdk]);
  const rejected = count('SELECT count(*) FROM rejections');
  db.close();
  const problems = [];
  if (stored !== sent) problems.push(`${stored} stored, ${sent} sent`);
  if (distinct !== stored) problems.push(`${distinct} distinct message ids for ${stored} events`);
  if (fromSdk !== stored) problems.push(`${stored - fromSdk} stored events name another library`);
  if (acked.events !== stored) problems.push(`${acked.events} acknowledged, ${stored} stored`);
  if (acked.duplicates > 0) problems.push(`${acked.duplicates} taken for duplicates`);
  if (rejected > 0) problems.push(`${rejected} rejected`);
  if (run.delivered !== sent) problems.push(`the SDK counted ${run.delivered} delivered`);
  if (run.failed > 0) problems.push(`the SDK gave up ${run.failed} events`);
  return verificationResult(problems, stored, acked);
}

/** Memory per queued event, per SDK, with the collector refusing connections and hanging. */
async function measureMemory(settings, hosts) {
  const n = settings.queuedEvents;
  log(
    `\nmemory: ${fmt(n)} events queued, collector unreachable; heapUsed after full GCs (--expose-gc), one process per SDK`,
  );
  const runs = [];
  for (const [index, [scenario, host]] of Object.entries(hosts).entries()) {
    for (const sdk of orderOf(index)) {
      const r = await runChild(
        {
          mode: 'memory',
          sdk,
          n,
          budgetMs: settings.budgetSeconds * 1000,
          holdMs: 1000,
          settings: sdkSettings(
            { host, flushAt: settings.flushAt, flushInterval: settings.flushIntervalMs },
            n,
          ),
        },
        ['--expose-gc'],
      );
      runs.push({ sdk, scenario, ...r });
      log(
        `  ${scenario.padEnd(8)} ${SDK_NAMES[sdk].padEnd(24)} ${fmt(r.bytesPerEvent)} B per queued event (heap ${r.heapUsedMiB.before} → ${r.heapUsedMiB.after} MiB, ${fmt(r.queued)} queued, RSS ${fmt(r.rssBytesPerEvent)} B per event)` +
          (r.complete
            ? ''
            : `; STOPPED after ${fmt(r.calls)} calls (${settings.budgetSeconds} s budget)`),
      );
    }
  }
  return runs;
}

/**
 * The same options for both SDKs. Timeouts are long: a run must not see a request time out
 * (Spoor takes at most 600,000 ms). maxQueueSize (Spoor only; Segment has no cap) holds `n`.
 */
function sdkSettings({ host, flushAt, flushInterval }, n) {
  return { host, writeKey: WRITE_KEY, flushAt, flushInterval, timeout: 600_000, maxQueueSize: n };
}

async function runChild(job, execArgv = []) {
  const child = startChild('./sdk-node-child.js', [JSON.stringify(job)], execArgv);
  try {
    const { type: _type, ...result } = await child.next('result');
    await child.finished();
    return result;
  } finally {
    child.kill();
  }
}

/** A server that takes connections and reads requests but never answers them. */
async function startSilentServer() {
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    socket.resume();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The URL of a local port nothing listens on: connections are refused at once. */
async function unusedPortUrl() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    if (!(await runSdkBenchmark())) process.exitCode = 1;
  } catch (error) {
    console.error(error);
    process.exit(1);
  }
}
