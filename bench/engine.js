// The tag and segment engine (issue 7) against its targets: the per-event evaluation cost with
// 100 tags and 100 segments active, the ingest rate with the engine on versus off, and a
// backfill of N profiles × 10 segments extrapolated to 1,000,000. Part of `pnpm bench` (last;
// BENCH_ENGINE=0 skips it) and runnable alone after `pnpm build`: `node bench/engine.js`.
// Environment: BENCH_ENGINE_PARTS (default `eval,ingest,backfill`); part 1:
// BENCH_ENGINE_PROFILES and BENCH_ENGINE_EVENTS (5,000 people, 50,000 events); part 2:
// BENCH_ENGINE_SECONDS (s per measured run, default 10), BENCH_ENGINE_ROUNDS (default 2),
// BENCH_ENGINE_MODES (default `empty,on,stub`), BENCH_ENGINE_DRAIN (s to wait for the engine to
// catch up, default 20), BENCH_WARMUP (s, default 3), BENCH_CONNECTIONS (default 16); part 3:
// BENCH_ENGINE_BACKFILL_PROFILES (default 50,000). BENCH_PROFILE=1 CPU-profiles part 1 and each
// collector and prints their main threads' top functions. Figures also go to
// bench/results/engine.json. The benchmark reports, it does not gate: it exits non-zero only if
// it breaks.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildState } from './build-state.js';
import { startChild } from './child.js';
import { fmt, positive, RESULTS_DIR } from './common.js';
import { measureBackfill } from './engine-backfill.js';
import { measureIngest } from './engine-ingest.js';
import { engineVerdicts, formatEngineTable, verdictLines } from './engine-report.js';
import { buildSegments } from './engine-segments.js';
import { buildTags } from './engine-tags.js';
import { summarizeProfile } from './profile-summary.js';
import { describeMachine } from './report.js';

const log = (...args) => console.log(...args);
const PROFILE = process.env.BENCH_PROFILE === '1';
const STAMP = Date.now();

/** Runs the engine benchmark; resolves true (it reports, it does not gate). */
export async function runEngineBenchmark() {
  const parts = (process.env.BENCH_ENGINE_PARTS || 'eval,ingest,backfill').split(',');
  const settings = {
    evaluation: {
      profiles: positive('BENCH_ENGINE_PROFILES', 5000),
      events: positive('BENCH_ENGINE_EVENTS', 50_000),
      warmupEvents: 10_000,
      days: 90,
    },
    ingest: {
      seconds: positive('BENCH_ENGINE_SECONDS', 10),
      rounds: Math.ceil(positive('BENCH_ENGINE_ROUNDS', 2)),
      warmupSeconds: positive('BENCH_WARMUP', 3),
      connections: positive('BENCH_CONNECTIONS', 16),
      drainSeconds: positive('BENCH_ENGINE_DRAIN', 20),
      modes: (process.env.BENCH_ENGINE_MODES || 'empty,on,stub').split(','),
      profile: profileDir(''),
    },
    backfill: {
      profiles: positive('BENCH_ENGINE_BACKFILL_PROFILES', 50_000),
      eventsPerProfile: 10,
      days: 90,
      timeoutSeconds: 240,
      profile: profileDir(''),
    },
  };
  const machine = describeMachine();
  const state = buildState(
    ['engine', 'collector', 'schemas'],
    [
      { dist: 'engine/dist', sources: ['engine/src'] },
      { dist: 'collector/dist', sources: ['collector/src', 'engine/src', 'schemas/src'] },
    ],
  );
  log(
    `\nengine benchmark — 100 tags and 100 segments; load average ${machine.loadAverage.join(' ')}`,
  );
  for (const w of state.warnings) log(`  warning: ${w}`);
  const results = { date: new Date().toISOString(), machine, build: state, settings };

  if (parts.includes('eval')) {
    const e = settings.evaluation;
    log(
      `part 1: per-event cost, ${fmt(e.events)} events of ${fmt(e.profiles)} people over ${e.days} days (after ${fmt(e.warmupEvents)} warm-up events)`,
    );
    results.evaluation = await measureEvaluationInChild(e);
    const s = results.evaluation.sinkNow;
    log(`  the sink's steps per event: p50 ${s.p50} µs, p99 ${s.p99} µs, max ${s.max} µs`);
  }
  if (parts.includes('ingest')) {
    const i = settings.ingest;
    log(
      `part 2: ingest with the engine ${i.modes.join(' / ')}, ${i.rounds} rounds, ${i.connections} connections, ${i.warmupSeconds} s warm-up + ${i.seconds} s per run`,
    );
    results.ingest = await measureIngest(i, { tags: buildTags(), segments: buildSegments() });
    printProfiles('ingest-');
  }
  if (parts.includes('backfill')) {
    const b = settings.backfill;
    log(
      `part 3: backfill, ${fmt(b.profiles)} profiles × ~${b.eventsPerProfile} events, 10 segments`,
    );
    results.backfill = await measureBackfill(b);
    printProfiles('backfill');
  }

  results.machine.loadAverageAtEnd = describeMachine().loadAverage;
  const verdicts = engineVerdicts(results);
  results.verdicts = verdicts;
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(new URL('engine.json', RESULTS_DIR), `${JSON.stringify(results, null, 2)}\n`);
  log(`\n${formatEngineTable(results, verdicts)}\n`);
  for (const line of verdictLines(results, verdicts)) log(line);
  log(`load average at end: ${results.machine.loadAverageAtEnd.join(' ')}`);
  log('results written to bench/results/engine.json');
  return true;
}

async function measureEvaluationInChild(settings) {
  const dir = profileDir('eval');
  const execArgv = dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
  const child = startChild('./engine-eval.js', [JSON.stringify(settings)], execArgv);
  try {
    const { type: _type, ...result } = await child.next('result');
    await child.finished();
    if (dir) printProfiles('eval');
    return result;
  } finally {
    child.kill();
  }
}

function profileDir(name) {
  return PROFILE ? fileURLToPath(new URL(`engine-profile-${STAMP}/${name}/`, RESULTS_DIR)) : null;
}

/** The main thread's profile of each process under `engine-profile-…/<prefix>…/`. */
function printProfiles(prefix) {
  if (!PROFILE) return;
  const root = fileURLToPath(new URL(`engine-profile-${STAMP}/`, RESULTS_DIR));
  let dirs;
  try {
    dirs = readdirSync(root).filter((d) => d.startsWith(prefix));
  } catch {
    return; // nothing profiled
  }
  for (const d of dirs) {
    // Node numbers threads from 0, the main thread, where the engine runs.
    const file = readdirSync(join(root, d)).find((f) =>
      /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f),
    );
    if (file)
      log(`  ${d}, main thread:\n    ${summarizeProfile(join(root, d, file), 25).join('\n    ')}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runEngineBenchmark().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
