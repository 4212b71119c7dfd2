// `pnpm bench`: the collector's ingest throughput and latency against the limits of this
// machine. Each server runs in its own child process; the load generator runs here.
// Environment: BENCH_DURATION (s per measured run, default 10), BENCH_WARMUP (s, default 3),
// BENCH_CONNECTIONS (skips the connection probe), BENCH_PROFILE=1 (CPU-profiles the collector),
// BENCH_IDENTITY=0 (skips identity.js, identity resolution on vs off; its settings are there),
// BENCH_SDK=0 (skips sdk-node.js, @spoor/node vs @segment/analytics-node; settings there too),
// BENCH_WEB=0 (skips web.js, the web SDK vs Segment and PostHog in Chromium; settings there),
// BENCH_MP=0 (skips miniprogram.js, the mini-program SDK vs Sensors in node:vm; settings there),
// BENCH_ENGINE=0 (skips engine.js, the tag and segment engine against its targets; settings there).
// Exit code 0 whether or not the targets are met: the benchmark reports, it does not gate. It
// is non-zero only when the benchmark breaks, or when stored and acknowledged events disagree.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { startChild } from './child.js';
import { AUTH, fmt, positive, RESULTS_DIR, WRITE_KEY } from './common.js';
import { runEngineBenchmark } from './engine.js';
import { BATCH_SIZE, createBodyPool } from './events.js';
import { runIdentityBenchmark } from './identity.js';
import { runAutocannon, runPaced } from './load.js';
import { runMiniProgramBenchmark } from './miniprogram.js';
import { summarizeProfile } from './profile-summary.js';
import { describeMachine, evaluate, formatTable } from './report.js';
import { runSdkBenchmark } from './sdk-node.js';
import { ackProblems, verificationResult } from './verify.js';
import { runWebBenchmark } from './web.js';

const DURATION = positive('BENCH_DURATION', 10);
const WARMUP = positive('BENCH_WARMUP', 3);
const FIXED_CONNECTIONS = process.env.BENCH_CONNECTIONS
  ? positive('BENCH_CONNECTIONS', 16)
  : undefined;
const PROFILE = process.env.BENCH_PROFILE === '1';
const PROBE_CONNECTIONS = [8, 16, 32];
const HTTP_LIMIT_CONNECTIONS = FIXED_CONNECTIONS ?? 16;

const log = (...args) => console.log(...args);

async function main() {
  const machine = describeMachine();
  log(
    `spoor ingest benchmark — ${machine.nproc} cores (nproc), ${machine.cpu}, node ${machine.node}`,
  );
  log(`load average at start: ${machine.loadAverage.join(' ')}; ${DURATION} s per run\n`);
  const pool = createBodyPool(64);
  log(
    `batches of ${BATCH_SIZE} events, ~${pool.eventBytes} B per event, ~${pool.bodyBytes} B per body; fresh UUID messageIds in every body\n`,
  );

  const limitHttp = await measureHttpLimit(pool);
  const limitSqlite = await measureSqliteLimit();
  const { collector, verification, profiles } = await measureCollector(pool);

  const results = {
    date: new Date().toISOString(),
    machine: { ...machine, loadAverageAtEnd: describeMachine().loadAverage },
    settings: { durationSeconds: DURATION, warmupSeconds: WARMUP, batchSize: BATCH_SIZE },
    events: { bytesPerEvent: pool.eventBytes, bytesPerBody: pool.bodyBytes },
    limitHttp,
    limitSqlite,
    collector,
    verification,
  };
  const verdicts = evaluate(results);
  Object.assign(results, verdicts);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(new URL('ingest.json', RESULTS_DIR), `${JSON.stringify(results, null, 2)}\n`);

  for (const lines of profiles) log(`\n${lines.join('\n')}`);
  log(`\n${formatTable(results, verdicts)}\n`);
  log(`load average at end: ${results.machine.loadAverageAtEnd.join(' ')}`);
  log('results written to bench/results/ingest.json');
  if (!verification.ok) {
    // Figures measured while events went missing (or appeared from nowhere) mean nothing.
    console.error(`\nverification failed: ${verification.problems.join('; ')}`);
    process.exitCode = 1;
  }
  if (process.env.BENCH_IDENTITY !== '0' && !(await runIdentityBenchmark())) process.exitCode = 1;
  if (process.env.BENCH_SDK !== '0' && !(await runSdkBenchmark())) process.exitCode = 1;
  if (process.env.BENCH_WEB !== '0' && !(await runWebBenchmark())) process.exitCode = 1;
  if (process.env.BENCH_MP !== '0' && !(await runMiniProgramBenchmark())) process.exitCode = 1;
  if (process.env.BENCH_ENGINE !== '0' && !(await runEngineBenchmark())) process.exitCode = 1;
}

async function measureHttpLimit(pool) {
  log(`limit A: bare Fastify route, JSON.parse, ${HTTP_LIMIT_CONNECTIONS} connections`);
  const server = startChild('./bare-server.js');
  try {
    const { url } = await server.next('ready');
    await runAutocannon({ url, pool, connections: HTTP_LIMIT_CONNECTIONS, seconds: WARMUP });
    const run = await runAutocannon({
      url,
      pool,
      connections: HTTP_LIMIT_CONNECTIONS,
      seconds: DURATION,
    });
    server.send({ type: 'close' });
    await server.next('closed');
    if (run.non2xx + run.errors > 0) throw new Error(`bare server: ${JSON.stringify(run)}`);
    log(
      `  ${fmt(run.eventsPerSec)} events/s (p50 ${run.latencyMs.p50} ms, p99 ${run.latencyMs.p99} ms)\n`,
    );
    return run;
  } finally {
    server.kill();
  }
}

async function measureSqliteLimit() {
  // Enough rows to take a few seconds, so the commit's fsync is a small part of the figure.
  const rows = Math.max(50_000, 15_000 * DURATION);
  log(
    `limit B: raw better-sqlite3 insert, ${fmt(rows)} rows in one transaction, WAL, synchronous=FULL`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'spoor-bench-sqlite-'));
  const child = startChild('./sqlite-insert.js', [dir, String(rows)]);
  try {
    const result = await child.next('result');
    await child.finished();
    log(
      `  ${fmt(result.eventsPerSec)} events/s (${result.seconds.toFixed(2)} s, ~${result.payloadBytes} B payload)`,
    );
    log(
      `  for reference, commits of ${result.grouped.rowsPerCommit} rows: ${fmt(result.grouped.eventsPerSec)} events/s\n`,
    );
    return result;
  } finally {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureCollector(pool) {
  const dataDir = mkdtempSync(join(tmpdir(), 'spoor-bench-collector-'));
  const profileDir = fileURLToPath(new URL(`profile-${Date.now()}/`, RESULTS_DIR));
  const execArgv = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const server = startChild('./collector-server.js', [dataDir, WRITE_KEY], execArgv);
  try {
    const { url } = await server.next('ready');
    const load = { url, auth: AUTH, pool };
    const stats = () => {
      server.send({ type: 'stats' });
      return server.next('stats');
    };
    log('collector: buildCollector, sqliteSync full, fresh data dir');

    // Every run against this collector, so the check at the end covers all it acknowledged.
    const runs = [];
    const measure = async (run) => {
      const before = await stats();
      const result = await run;
      runs.push(result);
      result.collector = usage(before, await stats(), result.seconds);
      return result;
    };

    let connections = FIXED_CONNECTIONS;
    const probes = [];
    if (connections === undefined) {
      // The probe doubles as warm-up (JIT, user-agent cache, SQLite pages).
      for (const c of PROBE_CONNECTIONS) {
        const run = await measure(runAutocannon({ ...load, connections: c, seconds: WARMUP }));
        probes.push({ connections: c, eventsPerSec: run.eventsPerSec, p99: run.latencyMs.p99 });
        log(
          `  probe ${c} connections: ${fmt(run.eventsPerSec)} events/s, p99 ${run.latencyMs.p99} ms`,
        );
      }
      // The fewest connections within 5 % of the best rate: more only add queueing latency.
      const best = Math.max(...probes.map((p) => p.eventsPerSec));
      connections = probes.find((p) => p.eventsPerSec >= 0.95 * best).connections;
    } else {
      await measure(runAutocannon({ ...load, connections, seconds: WARMUP }));
    }

    const max = await measure(runAutocannon({ ...load, connections, seconds: DURATION }));
    log(
      `  max rate, ${connections} connections: ${fmt(max.eventsPerSec)} events/s, p50 ${max.latencyMs.p50} ms, p99 ${max.latencyMs.p99} ms`,
    );
    const { cores, mainEventLoopBusy, rowsPerCommit } = max.collector;
    log(
      `    collector CPU in cores: main thread ${cores.main}, worker threads (ingest + storage) ${cores.store}, other threads ${cores.other}; main event loop ${Math.round(mainEventLoopBusy * 100)} % busy; ${rowsPerCommit} rows per commit`,
    );
    if (max.non2xx + max.errors + max.timeouts > 0)
      log(
        `    non-2xx ${max.non2xx} ${JSON.stringify(max.statuses)}, errors ${max.errors}, timeouts ${max.timeouts}`,
      );

    const rate = Math.max(1, Math.round((0.7 * max.eventsPerSec) / BATCH_SIZE));
    const autocannon70 = await measure(
      runAutocannon({ ...load, connections, seconds: DURATION, overallRate: rate }),
    );
    log(
      `  70 % (${rate} req/s), autocannon overallRate: p50 ${autocannon70.latencyMs.p50} ms, p99 ${autocannon70.latencyMs.p99} ms`,
    );
    const paced = await measure(
      runPaced({ ...load, rate, seconds: DURATION, maxSockets: 4 * connections }),
    );
    log(
      `  70 % (${rate} req/s), paced open loop: p50 ${paced.latencyMs.p50} ms, p99 ${paced.latencyMs.p99} ms, ${fmt(paced.eventsPerSec)} events/s` +
        (paced.collector
          ? `\n    inside the collector: ingest threads p99 ≤ ${paced.collector.prepareP99Ms} ms, group commit p99 ≤ ${paced.collector.commitP99Ms} ms`
          : ''),
    );

    server.send({ type: 'close' });
    const { acked } = await server.next('closed');
    await server.finished();
    const verification = verify(dataDir, acked, runs);
    log(
      `  verification: ${verification.ok ? 'ok' : 'FAILED'} — ${fmt(verification.stored)} events stored, ${fmt(verification.serverAckedEvents)} acknowledged\n`,
    );
    const profiles = PROFILE
      ? readdirSync(profileDir).map((f) => summarizeProfile(join(profileDir, f), 25))
      : [];
    return {
      collector: { connections, probes, max, at70: { rate, paced, autocannon: autocannon70 } },
      verification,
      profiles,
    };
  } finally {
    server.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Reads the closed database read-only and checks it against what was acknowledged: the server's
 * count of accepted events must match exactly; the clients saw at most that many (autocannon
 * drops requests still in flight when a run ends, which the server stores and acknowledges).
 */
function verify(dataDir, acked, runs) {
  const db = new Database(join(dataDir, 'spoor.db'), { readonly: true, fileMustExist: true });
  const stored = db.prepare('SELECT count(*) FROM events').pluck().get();
  // Every stored event has one dedupe-log entry and a message id no other stored event has.
  const distinct = db.prepare('SELECT count(DISTINCT message_id) FROM events').pluck().get();
  const logged = db.prepare('SELECT count(*) FROM dedupe_log').pluck().get();
  const payloadBytes = Math.round(
    db.prepare('SELECT avg(length(payload)) FROM events').pluck().get(),
  );
  db.close();
  const problems = ackProblems(
    { stored, distinct, acked, runs, batchSize: BATCH_SIZE },
    logged === stored ? [] : [`${logged} dedupe-log entries for ${stored} events`],
  );
  return { ...verificationResult(problems, stored, acked), storedPayloadBytes: payloadBytes };
}

/** Where the collector's time went over a run, from `stats` snapshots before and after it. */
function usage(before, after, seconds) {
  const share = (k) => Math.round(((after.cpu[k] - before.cpu[k]) / seconds) * 100) / 100;
  const commits = after.commits.count - before.commits.count;
  return {
    cores: { main: share('main'), store: share('store'), other: share('other') },
    mainEventLoopBusy: Math.round(after.loop * 100) / 100,
    commits,
    rowsPerCommit:
      commits > 0 ? Math.round((after.commits.rows - before.commits.rows) / commits) : 0,
    commitP99Ms: bucketP99(before.commits.commitSeconds, after.commits.commitSeconds),
    prepareP99Ms: bucketP99(before.commits.prepareSeconds, after.commits.prepareSeconds),
  };
}

/** The upper bound (ms) of the histogram bucket holding the 99th percentile of a run. */
function bucketP99(before, after) {
  const delta = after.map(([le, n], i) => [le, n - (before[i]?.[1] ?? 0)]);
  const total = delta.at(-1)?.[1] ?? 0;
  const hit = delta.find(([, n]) => n >= 0.99 * total);
  return total === 0 || !hit ? null : hit[0] === Infinity ? Infinity : hit[0] * 1000;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
