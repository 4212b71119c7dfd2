// ONE ID's cost on ingest: the collector's maximum rate with identity resolution on and off, on
// the same store pre-seeded with N profiles (10k, 100k, 1M), and the per-event cost of identity
// at each size. Part of `pnpm bench` (after the ingest measurements; BENCH_IDENTITY=0 skips it)
// and runnable alone after `pnpm build`: `node bench/identity.js`.
// Environment: BENCH_DURATION (s per measured run, default 10), BENCH_WARMUP (s, default 3),
// BENCH_IDENTITY_CONNECTIONS (default 64), BENCH_IDENTITY_SIZES (comma list of profile counts),
// BENCH_IDENTITY_ROUNDS (off/on pairs per size, default 2, alternating which goes first).
// BENCH_PROFILE=1 (CPU-profiles each measured collector; prints its storage thread's top
// functions), BENCH_LOG_LEVEL (the collector's log level, default silent).
// Exits non-zero only when the benchmark breaks or stored and acknowledged events disagree.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startChild } from './child.js';
import { AUTH, fmt, positive, RESULTS_DIR, WRITE_KEY } from './common.js';
import { runVisitors } from './identity-load.js';
import { formatIdentityTable, growth, summarizeSize } from './identity-report.js';
import { seedProfiles } from './identity-seed.js';
import { createVisitorTraffic, VISITOR_BATCH } from './identity-traffic.js';
import { verifyRun } from './identity-verify.js';
import { summarizeProfile } from './profile-summary.js';
import { describeMachine } from './report.js';

const DB = 'spoor.db';
const PROFILE_DIR = process.env.BENCH_PROFILE === '1' ? `identity-profile-${Date.now()}/` : null;
const log = (...args) => console.log(...args);

/** Runs the identity benchmark; resolves with whether every run's verification passed. */
export async function runIdentityBenchmark() {
  const settings = {
    durationSeconds: positive('BENCH_DURATION', 10),
    warmupSeconds: positive('BENCH_WARMUP', 3),
    // 64 visitors' batches in flight, about the events the ingest benchmark keeps in flight
    // (16 × 100). With fewer, the group commits stay small and wait on fsync: the rate would
    // measure the load generator's concurrency rather than the collector.
    connections: positive('BENCH_IDENTITY_CONNECTIONS', 64),
    rounds: Math.ceil(positive('BENCH_IDENTITY_ROUNDS', 2)),
    sizes: (process.env.BENCH_IDENTITY_SIZES || '10000,100000,1000000')
      .split(',')
      .map((s) => Number(s.trim().replace(/_/g, ''))),
    batchSize: VISITOR_BATCH,
  };
  if (settings.sizes.some((n) => !Number.isInteger(n) || n < 2))
    throw new Error(`BENCH_IDENTITY_SIZES must list profile counts ≥ 2, not "${settings.sizes}"`);
  const machine = describeMachine();
  log(
    `\nidentity benchmark — ONE ID on vs off against seeded stores of ${settings.sizes.map(fmt).join(', ')} profiles`,
  );
  log(
    `visitor batches of ${VISITOR_BATCH} events, ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s per run, ${settings.rounds} runs per mode; load average ${machine.loadAverage.join(' ')}\n`,
  );

  const sizes = [];
  for (const [index, profiles] of settings.sizes.entries()) {
    sizes.push(await measureSize(profiles, index, settings));
  }
  const results = {
    date: new Date().toISOString(),
    machine: { ...machine, loadAverageAtEnd: describeMachine().loadAverage },
    settings,
    git: gitState(),
    growth: growth(sizes),
    sizes,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(new URL('identity.json', RESULTS_DIR), `${JSON.stringify(results, null, 2)}\n`);
  log(`\n${formatIdentityTable(results)}\n`);
  log(`load average at end: ${results.machine.loadAverageAtEnd.join(' ')}`);
  log('results written to bench/results/identity.json');
  const problems = sizes.flatMap((s) =>
    s.runs.flatMap((r) => r.verification.problems.map((p) => `${fmt(s.profiles)} ${r.mode}: ${p}`)),
  );
  if (problems.length > 0) console.error(`\nidentity verification failed: ${problems.join('; ')}`);
  return problems.length === 0;
}

/** Seeds one store of `profiles` profiles, then alternates on and off runs on copies of it. */
async function measureSize(profiles, index, settings) {
  const seedDir = mkdtempSync(join(tmpdir(), 'spoor-bench-identity-seed-'));
  try {
    // The collector creates its own schema; the seed fills the tables it made.
    const server = startServer(seedDir, 'on');
    await server.next('ready');
    server.send({ type: 'close' });
    await server.next('closed');
    await server.finished();
    const started = performance.now();
    const rows = seedProfiles(join(seedDir, DB), profiles);
    const seed = {
      seconds: round((performance.now() - started) / 1000),
      ...rows,
      fileMiB: round(statSync(join(seedDir, DB)).size / 2 ** 20),
    };
    log(
      `${fmt(profiles)} profiles: seeded in ${seed.seconds} s (${fmt(rows.identifiers)} identifiers, ${fmt(rows.links)} links, ${seed.fileMiB} MiB)`,
    );
    const runs = [];
    for (let pair = 0; pair < settings.rounds; pair++) {
      const order = (pair + index) % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
      for (const mode of order) runs.push(await measureRun(seedDir, rows, mode, settings));
    }
    return summarizeSize(profiles, seed, runs);
  } finally {
    rmSync(seedDir, { recursive: true, force: true });
  }
}

async function measureRun(seedDir, seeded, mode, settings) {
  const dir = mkdtempSync(join(tmpdir(), `spoor-bench-identity-${mode}-`));
  let server;
  try {
    cpSync(seedDir, dir, { recursive: true });
    const profileDir = PROFILE_DIR
      ? fileURLToPath(
          new URL(`${PROFILE_DIR}${seeded.profiles}-${mode}-${Date.now()}/`, RESULTS_DIR),
        )
      : null;
    server = startServer(dir, mode, profileDir);
    const { url } = await server.next('ready');
    const traffic = createVisitorTraffic({ profiles: seeded.profiles });
    const load = { url, auth: AUTH, traffic, connections: settings.connections };
    const stats = () => {
      server.send({ type: 'stats' });
      return server.next('stats');
    };
    const warmup = await runVisitors({ ...load, seconds: settings.warmupSeconds });
    const before = await stats();
    const sentBefore = { ...traffic.sent };
    const run = await runVisitors({ ...load, seconds: settings.durationSeconds });
    const after = await stats();
    server.send({ type: 'close' });
    const { acked } = await server.next('closed');
    await server.finished();
    const sent = Object.fromEntries(
      Object.entries(traffic.sent).map(([k, n]) => [k, n - sentBefore[k]]),
    );
    const verification = verifyRun(
      join(dir, DB),
      mode,
      seeded,
      acked,
      [warmup, run],
      after.metrics,
    );
    const result = {
      mode,
      ...run,
      warmup: { eventsPerSec: warmup.eventsPerSec, statuses: warmup.statuses },
      sent,
      window: perEvent(before, after, run.seconds),
      verification,
    };
    const w = result.window;
    const shed = Object.entries(acked.statuses).filter(([status]) => status !== '200');
    log(
      `  identity ${mode.padEnd(3)}: ${fmt(run.eventsPerSec)} events/s, p50 ${run.latencyMs.p50} ms, p99 ${run.latencyMs.p99} ms; CPU µs per event: storage thread ${w.storeCpuUs}, main ${w.mainCpuUs}, ingest+other ${w.otherCpuUs}; ${w.diskWrittenBytes} B written to disk per event; ${w.rowsPerCommit} rows/commit, committing ${Math.round(w.commitBusy * 100)} % of the time` +
        (mode === 'on' ? `; ${fmt(w.merges)} merges, ${fmt(w.recomputes)} recomputes` : '') +
        (shed.length > 0
          ? `; also answered ${shed.map(([s, n]) => `${n} × ${s}`).join(', ')}`
          : '') +
        `; ${verification.ok ? 'verified' : `VERIFICATION FAILED: ${verification.problems.join('; ')}`} (${fmt(verification.stored)} stored)`,
    );
    if (profileDir) printStorageProfile(profileDir);
    return result;
  } finally {
    server?.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

function startServer(dataDir, identity, profileDir = null) {
  const env = {
    SPOOR_DATA_DIR: dataDir,
    SPOOR_HOST: '127.0.0.1',
    SPOOR_PORT: '0',
    SPOOR_WRITE_KEYS: `${WRITE_KEY}=web`,
    SPOOR_ADMIN_TOKEN: 'bench-admin-token-0123456789',
    SPOOR_IDENTITY: identity,
    SPOOR_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
  };
  const execArgv = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  return startChild('./identity-server.js', [JSON.stringify(env)], execArgv);
}

/** Node numbers worker threads in creation order, and the store's worker starts first. */
function printStorageProfile(profileDir) {
  const file = readdirSync(profileDir).find((f) =>
    /^CPU\.\d+\.\d+\.\d+\.1\.\d+\.cpuprofile$/.test(f),
  );
  if (file)
    log(`    storage thread: ${summarizeProfile(join(profileDir, file), 15).join('\n    ')}`);
}

/** Per-event figures over the measured window, from the collector's stats before and after. */
function perEvent(before, after, seconds) {
  const events = after.acked.events - before.acked.events;
  const m = (k) => after.metrics[k] - before.metrics[k];
  const us = (spent) => (events > 0 ? round((spent / events) * 1e6) : null);
  const cpu = (k) => us(after.cpu[k] - before.cpu[k]);
  return {
    events,
    storeCpuUs: cpu('store'),
    mainCpuUs: cpu('main'),
    otherCpuUs: cpu('other'),
    diskWrittenBytes:
      events > 0 ? Math.round((after.io.written - before.io.written) / events) : null,
    // Commits run one after another: near 100 %, the storage thread's pipeline is the limit.
    commitBusy: round(m('commitSeconds') / seconds),
    rowsPerCommit: m('commits') > 0 ? Math.round(m('commitRows') / m('commits')) : 0,
    merges: m('merges'),
    recomputes: m('recomputes'),
    refused: m('refused'),
  };
}

/** The commit measured, and whether the collector's sources differed from it. */
function gitState() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const git = (...args) => {
    try {
      return execFileSync('git', ['-C', root, ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
    } catch {
      return null;
    }
  };
  const status = git('status', '--porcelain', '--', 'collector', 'schemas');
  return {
    commit: git('rev-parse', 'HEAD')?.trim() ?? null,
    collectorChanged: status === null ? null : status.trim().split('\n').filter(Boolean),
  };
}

const round = (n) => Math.round(n * 100) / 100;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runIdentityBenchmark().then(
    (ok) => {
      if (!ok) process.exitCode = 1;
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
