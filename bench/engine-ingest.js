// Part 2 of the engine benchmark: the collector's ingest rate with the engine on versus off,
// under the ingest benchmark's own load (events.js bodies, autocannon, closed loop). A collector
// per run, each on a fresh data dir, in three modes: `empty` (no definitions: the engine
// sink as the collector always runs it), `on` (the 100 tags and 100 segments), and `stub` (the
// engine sink's deliver() a no-op: the collector without an engine). A rate counts events
// committed AND folded in by the engine: from the start of the load until the engine's cursor
// reaches the last committed event (or the drain limit, then it is the engine's own rate).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { startChild } from './child.js';
import { ADMIN_TOKEN, AUTH, fmt, WRITE_KEY } from './common.js';
import { createBodyPool } from './events.js';
import { runAutocannon } from './load.js';

const log = (...args) => console.log(...args);

/**
 * Measures each mode in `settings.modes`, `settings.rounds` times, the order reversed every other
 * round (A B C, C B A …) so that a machine speeding up or slowing down during the run shifts
 * every mode alike. Resolves with every run and, per mode, the means.
 */
export async function measureIngest(settings, definitions) {
  const pool = createBodyPool(64);
  const runs = [];
  for (let pass = 0; pass < settings.rounds; pass++) {
    const order = pass % 2 === 0 ? settings.modes : [...settings.modes].reverse();
    for (const mode of order) runs.push(await measureMode(mode, pool, settings, definitions));
  }
  const modes = {};
  for (const mode of settings.modes) {
    const own = runs.filter((r) => r.mode === mode);
    const mean = (f) => round(own.reduce((n, r) => n + f(r), 0) / own.length);
    modes[mode] = {
      processedPerSec: Math.round(mean((r) => r.processedPerSec)),
      committedPerSec: Math.round(mean((r) => r.committedPerSec)),
      runs: own.map((r) => r.processedPerSec),
      caughtUp: own.every((r) => r.caughtUp),
      cpuUsPerEvent: {
        main: mean((r) => r.cpuUsPerEvent.main),
        workers: mean((r) => r.cpuUsPerEvent.workers),
      },
    };
  }
  return { modes, runs };
}

async function measureMode(mode, pool, settings, definitions) {
  const dir = mkdtempSync(join(tmpdir(), `spoor-bench-engine-${mode}-`));
  // BENCH_PROFILE: `settings.profile` is the folder for this run's CPU profiles.
  const profileDir = settings.profile ? join(settings.profile, `ingest-${mode}`) : null;
  const execArgv = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const server = startChild(
    './engine-server.js',
    [dir, WRITE_KEY, mode === 'stub' ? 'stub' : 'real'],
    execArgv,
  );
  try {
    const { url } = await server.next('ready');
    const stats = async () => {
      server.send({ type: 'stats' });
      return { ...(await server.next('stats')), at: performance.now() };
    };
    if (mode === 'on') await putDefinitions(url, definitions);
    const load = { url, auth: AUTH, pool, connections: settings.connections };
    await runAutocannon({ ...load, seconds: settings.warmupSeconds });
    const warm = await drain(stats, settings.drainSeconds);
    const before = await stats();
    const run = await runAutocannon({ ...load, seconds: settings.seconds });
    const loadEnd = await stats();
    const end = await drain(stats, settings.drainSeconds);
    const processed = folded(end) - folded(before);
    const elapsed = (end.at - before.at) / 1000;
    const cpu = (k) => round(((end.cpu[k] - before.cpu[k]) / Math.max(1, processed)) * 1e6);
    server.send({ type: 'close' });
    await server.next('closed');
    await server.finished();
    const result = {
      mode,
      connections: settings.connections,
      seconds: run.seconds,
      committedPerSec: Math.round((loadEnd.committed - before.committed) / run.seconds),
      processedPerSec: Math.round(processed / elapsed),
      lagAtLoadEnd: loadEnd.engineLag,
      drainSeconds: round((end.at - loadEnd.at) / 1000),
      caughtUp: end.engineLag === 0,
      warmupCaughtUp: warm.engineLag === 0,
      latencyMs: run.latencyMs,
      non2xx: run.non2xx,
      errors: run.errors,
      cpuUsPerEvent: { main: cpu('main'), workers: cpu('store'), other: cpu('other') },
      store: storeCounts(join(dir, 'spoor.db')),
    };
    log(
      `  engine ${mode.padEnd(5)}: committed ${fmt(result.committedPerSec)} events/s during the load; committed and processed by the engine ${fmt(result.processedPerSec)} events/s over ${round(elapsed)} s (lag ${fmt(result.lagAtLoadEnd)} events at the end of the load, ${result.caughtUp ? `caught up ${result.drainSeconds} s later` : `NOT caught up after ${settings.drainSeconds} s`}${result.warmupCaughtUp ? '' : '; it had not caught up with the warm-up either'}); p99 ${run.latencyMs.p99} ms; CPU µs per event: event loop ${result.cpuUsPerEvent.main}, worker threads ${result.cpuUsPerEvent.workers}; ${fmt(result.store.engineProfiles)} engine rows (${fmt(result.store.meanStateBytes)} B of state on average), ${fmt(result.store.members)} memberships, ${round(result.store.changes / result.store.events)} changes per event; ~${result.store.profilesPer500} profiles per 500 events`,
    );
    return result;
  } finally {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Events committed and folded in by the engine so far. */
const folded = (s) => s.committed - s.engineLag;

/** Polls until the engine has every committed event, or `limit` seconds; the last stats. */
async function drain(stats, limit) {
  const deadline = performance.now() + limit * 1000;
  for (;;) {
    const s = await stats();
    if (s.engineLag === 0 || s.at >= deadline) return s;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * PUTs every tag, then every segment, in dependency order, as an admin would. Returns the
 * seconds it took and when (epoch ms) the last PUT was sent.
 */
export async function putDefinitions(url, { tags = {}, segments = {} }) {
  const started = performance.now();
  let lastSentAt = 0;
  for (const [plural, set] of [
    ['tags', tags],
    ['segments', segments],
  ]) {
    for (const [key, body] of Object.entries(set)) {
      lastSentAt = Date.now();
      const res = await fetch(`${url}/v1/${plural}/${key}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status !== 201 && res.status !== 200)
        throw new Error(`PUT /v1/${plural}/${key}: ${res.status} ${await res.text()}`);
    }
  }
  return { seconds: round((performance.now() - started) / 1000), lastSentAt };
}

/** What the engine left in the closed store: its rows, memberships and changes. */
function storeCounts(file) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const count = (table) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
    return {
      events: count('events'),
      profiles: count('profiles'),
      engineProfiles: count('engine_profiles'),
      members: count('segment_members'),
      changes: count('engine_changes'),
      // How many profiles a delivery of 500 events (the engine's batch) evaluates, roughly.
      profilesPer500: Math.round(
        db
          .prepare(
            'SELECT avg(n) FROM (SELECT count(DISTINCT i.profile_id) AS n FROM events e ' +
              'JOIN identifiers i ON i.id = e.identifier_id GROUP BY (e.seq - 1) / 500)',
          )
          .pluck()
          .get() ?? 0,
      ),
      meanStateBytes: Math.round(
        db.prepare('SELECT avg(length(state)) FROM engine_profiles').pluck().get() ?? 0,
      ),
    };
  } finally {
    db.close();
  }
}

const round = (n) => Math.round(n * 100) / 100;
