// The WeChat mini-program SDK against Sensors' sa-sdk-miniprogram, in one run: the file each
// ships (minified, and gzip level 9), and what a track() call costs, with each SDK loaded as
// WeChat's npm runtime loads it into its own node:vm context that holds only mini-program
// globals and a `wx` fake (miniprogram-runtime.js). Two figures of cost: each call timed from
// outside the vm (alone: median, p99; and whole rounds of calls; the SDKs loaded together and
// taking turns), and the process's CPU time per event with the SDK's deferred work (storage
// writes, sends, timers) until it has settled, one SDK at a time.
// Part of `pnpm bench` (after web.js; BENCH_MP=0 skips it) and runnable alone after
// `pnpm build`: `node bench/miniprogram.js` (about 45 s). It uses sdk-miniprogram/dist/index.js
// and Sensors' npm main file from bench/node_modules.
// Environment: BENCH_MP_ROUNDS (3; the order alternates, each figure keeps its lowest),
// BENCH_MP_CALLS_ROUNDS (20 rounds of calls each timed alone, and 20 timed whole) of
// BENCH_MP_ROUND_SIZE (500) calls, BENCH_MP_EVENTS (1,000 events per pacing for the CPU figure).
// Exits non-zero only when the benchmark breaks (an SDK fails to load or throws).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fmt, measureBundle, positive, RESULTS_DIR } from './common.js';
import { measureCalls, measureCpu, orderOf } from './miniprogram-measure.js';
import {
  buildState,
  describeBuild,
  formatTable,
  summarize,
  summarizeRun,
  verdictLines,
} from './miniprogram-report.js';
import { SDKS, SIZE_ONLY } from './miniprogram-sdks.js';
import { describeMachine } from './report.js';

const log = (...args) => console.log(...args);

/** Runs the mini-program benchmark; resolves with whether both SDKs loaded and ran. */
export async function runMiniProgramBenchmark() {
  const roundSize = Math.round(positive('BENCH_MP_ROUND_SIZE', 500));
  const settings = {
    rounds: Math.ceil(positive('BENCH_MP_ROUNDS', 3)),
    calls: {
      warmupRounds: 4,
      rounds: Math.round(positive('BENCH_MP_CALLS_ROUNDS', 20)),
      roundSize,
    },
    // Ten events per task, then one: bursts amortise an SDK's per-task work over more events.
    cpu: {
      warmup: 1000,
      events: Math.round(positive('BENCH_MP_EVENTS', 1000)),
      chunks: [10, 1],
      quietMs: 600,
      timeoutMs: 15_000,
    },
  };
  const machine = describeMachine();
  const build = buildState();
  log(`\nmini-program SDK benchmark — ${SDKS.map((s) => s.name).join(' vs ')}, node:vm + wx fake`);
  log(
    `${machine.nproc} cores, node ${machine.node}, load average ${machine.loadAverage.join(' ')}; ${settings.rounds} rounds, order alternating`,
  );
  log(describeBuild(build));
  for (const warning of build.warnings) log(`warning: ${warning}`);
  const missing = [...SDKS, ...SIZE_ONLY].filter((s) => !existsSync(s.file));
  for (const s of missing) log(`warning: ${s.fileLabel} is missing (pnpm build?): ${s.id} skipped`);
  const sdks = SDKS.filter((s) => !missing.includes(s));

  const bundles = [...sdks, ...SIZE_ONLY.filter((s) => !missing.includes(s))].map(measureBundle);
  for (const b of bundles)
    log(`  ${b.name.padEnd(28)} ${b.file}: ${fmt(b.bytes)} B, gzip -9 ${fmt(b.gzipBytes)} B`);

  const runs = [];
  const floors = [];
  const harness = [];
  const failures = missing.map((s) => ({ sdk: s.id, error: `${s.fileLabel} missing` }));
  const fail = (id, round, error) => {
    failures.push({ sdk: id, round, error: String(error?.stack ?? error) });
    log(`  ${id}: FAILED — ${error?.message ?? error}`);
  };
  for (let round = 0; round < settings.rounds; round++) {
    const order = orderOf([null, ...sdks], round);
    let calls = [];
    try {
      calls = await measureCalls(order, settings.calls);
      const floor = calls.find((c) => c.sdk === null);
      floors.push(floor);
      log(
        `  round ${round + 1}: timing floor (an empty track(), timed alone) median ${floor.medianUs} µs, p99 ${floor.p99Us} µs`,
      );
    } catch (error) {
      fail('track() timing', round, error);
    }
    for (const sdk of order) {
      try {
        const cpu = await measureCpu(sdk, settings.cpu);
        if (!sdk) {
          harness.push(cpu);
          const per = Object.entries(cpu.byChunk).map(([k, v]) => `${v.cpuUsPerEvent} µs at ${k}`);
          log(`  harness alone: CPU per event ${per.join(', ')} per task`);
          continue;
        }
        const timed = calls.find((c) => c.sdk === sdk.id);
        if (!timed) continue;
        const run = { sdk: sdk.id, round, calls: timed, cpu };
        runs.push(run);
        log(summarizeRun(run));
      } catch (error) {
        fail(sdk?.id ?? 'harness', round, error);
      }
    }
  }
  const delivery = deliveryProblems(runs, settings);
  for (const p of delivery) log(`warning: ${p}`);

  const results = {
    date: new Date().toISOString(),
    machine: { ...machine, loadAverageAtEnd: describeMachine().loadAverage },
    settings,
    build,
    bundles,
    floors,
    harness,
    runs,
    delivery,
    failures,
  };
  if (!harness.length) failures.push({ sdk: 'harness', error: 'no harness run' });
  else results.summary = summarize(results);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(new URL('miniprogram.json', RESULTS_DIR), `${JSON.stringify(results, null, 2)}\n`);
  if (results.summary) {
    log(`\n${formatTable(results)}\n`);
    for (const line of verdictLines(results)) log(line);
  }
  for (const f of failures) console.error(`mini-program benchmark: ${f.sdk} failed: ${f.error}`);
  log(`load average at end: ${results.machine.loadAverageAtEnd.join(' ')}`);
  log('results written to bench/results/miniprogram.json');
  return failures.length === 0;
}

/** Runs whose timed events did not all reach the wx fake: their CPU figure covers less work. */
function deliveryProblems(runs, settings) {
  const problems = [];
  for (const r of runs)
    for (const [chunk, c] of Object.entries(r.cpu.byChunk))
      if (c.delivered !== settings.cpu.events || !c.settled)
        problems.push(
          `${r.sdk} round ${r.round + 1}, ${chunk} per task: ${c.delivered} of ${settings.cpu.events} events sent${c.settled ? '' : ', still sending at the timeout'}`,
        );
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    if (!(await runMiniProgramBenchmark())) process.exitCode = 1;
  } catch (error) {
    console.error(error);
    process.exit(1);
  }
}
