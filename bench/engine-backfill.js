// Part 3 of the engine benchmark: a backfill. A store seeded with N profiles and their
// histories (engine-seed.js), a collector started on it, 10 segments PUT through the admin API,
// and the time until `GET /v1/engine` reports the backfill of the last version finished.
// Each PUT starts a new backfill version (the previous one stops at its next page), so the
// figure of record is the last version's startedAt → finishedAt; the wall time from the first
// PUT is reported too. Seconds per 1,000,000 profiles are extrapolated linearly from N.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { startChild } from './child.js';
import { ADMIN_TOKEN, fmt, WRITE_KEY } from './common.js';
import { putDefinitions } from './engine-ingest.js';
import { backfillSegments } from './engine-segments.js';
import { seedEngineStore } from './engine-seed.js';

const log = (...args) => console.log(...args);

/** Seeds, backfills, and resolves with the figures. */
export async function measureBackfill({
  profiles,
  eventsPerProfile,
  days,
  timeoutSeconds,
  profile,
}) {
  const dir = mkdtempSync(join(tmpdir(), 'spoor-bench-engine-backfill-'));
  let server;
  try {
    // The collector makes its schema; the seed fills it.
    server = startChild('./engine-server.js', [dir, WRITE_KEY]);
    await server.next('ready');
    await close(server);
    const seedStarted = performance.now();
    const seeded = seedEngineStore(join(dir, 'spoor.db'), { profiles, eventsPerProfile, days });
    const seedSeconds = round((performance.now() - seedStarted) / 1000);
    const fileMiB = round(statSync(join(dir, 'spoor.db')).size / 2 ** 20);
    log(
      `  seeded ${fmt(seeded.profiles)} profiles, ${fmt(seeded.events)} events over ${days} days in ${seedSeconds} s (${fileMiB} MiB)`,
    );

    // BENCH_PROFILE: `profile` is the folder for this run's CPU profiles.
    const profileDir = profile ? join(profile, 'backfill') : null;
    const execArgv = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    server = startChild('./engine-server.js', [dir, WRITE_KEY], execArgv);
    const { url } = await server.next('ready');
    const stats = () => {
      server.send({ type: 'stats' });
      return server.next('stats');
    };
    const cpuBefore = (await stats()).cpu;
    const segments = backfillSegments();
    const firstPut = Date.now();
    const put = await putDefinitions(url, { segments });
    const progress = await waitForBackfill(url, put.lastSentAt, timeoutSeconds);
    const wallSeconds = round((Date.now() - firstPut) / 1000);
    const cpuAfter = (await stats()).cpu;
    await close(server);
    const finished = progress.finishedAt !== null;
    const seconds = finished ? round((progress.finishedAt - progress.startedAt) / 1000) : null;
    const cpu = (k) => round(((cpuAfter[k] - cpuBefore[k]) / seeded.profiles) * 1e6);
    const result = {
      profiles: seeded.profiles,
      events: seeded.events,
      days,
      seedSeconds,
      fileMiB,
      segments: Object.keys(segments).length,
      putSeconds: put.seconds,
      finished,
      done: progress.done,
      seconds,
      wallSeconds,
      // `done` also counts the last page of the version this one superseded, if it was running.
      profilesPerSec: seconds ? Math.round(seeded.profiles / seconds) : null,
      secondsPerMillion: seconds ? round((seconds * 1e6) / seeded.profiles) : null,
      cpuUsPerProfile: { main: cpu('main'), workers: cpu('store'), other: cpu('other') },
      members: members(join(dir, 'spoor.db')),
    };
    log(
      `  backfill of ${result.segments} segments over ${fmt(result.profiles)} profiles (GET /v1/engine: done ${fmt(result.done)}): ${finished ? `${seconds} s` : `NOT finished after ${timeoutSeconds} s`} (${fmt(result.profilesPerSec ?? 0)} profiles/s; ${wallSeconds} s from the first PUT); CPU µs per profile from the first PUT: event loop ${result.cpuUsPerProfile.main}, worker threads ${result.cpuUsPerProfile.workers}`,
    );
    log(
      `  members: ${Object.entries(result.members)
        .map(([k, n]) => `${k} ${fmt(n)}`)
        .join(', ')}`,
    );
    return result;
  } finally {
    server?.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Polls GET /v1/engine until the backfill started at or after `since` has finished. */
async function waitForBackfill(url, since, timeoutSeconds) {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const res = await fetch(`${url}/v1/engine`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const { backfill } = await res.json();
    const current = backfill.startedAt !== null && backfill.startedAt >= since;
    if ((current && !backfill.running && backfill.finishedAt !== null) || Date.now() > deadline)
      return backfill;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function close(server) {
  server.send({ type: 'close' });
  await server.next('closed');
  await server.finished();
}

/** Members per segment in the closed store. */
function members(file) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare('SELECT segment, count(*) AS n FROM segment_members GROUP BY segment')
      .all();
    const out = Object.fromEntries(Object.keys(backfillSegments()).map((k) => [k, 0]));
    for (const { segment, n } of rows) out[segment] = n;
    return out;
  } finally {
    db.close();
  }
}

const round = (n) => Math.round(n * 100) / 100;
