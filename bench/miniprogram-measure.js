// The two timed phases of miniprogram.js, in fresh mini-program runtimes: track() calls timed
// from outside the vm (alone, and in whole rounds), and the process's CPU time per event from
// the first call until every request has been answered and the SDK has been quiet for a
// while, deferred work (timers, promises, storage writes, sends) included.
import { performance } from 'node:perf_hooks';
import { createRuntime } from './miniprogram-runtime.js';
import { EVENT, TRACK_MANY, TRACK_ONE } from './miniprogram-sdks.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const round2 = (v) => Math.round(v * 100) / 100;
/** Nearest-rank quantile of sorted values. */
const quantile = (s, q) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];

/** Which SDK this round starts with: no SDK always runs first. */
export const orderOf = (sdks, round) => (round % 2 === 0 ? sdks : [...sdks].reverse());

/**
 * Loads `sdk` (null: no SDK, a track() that does nothing) as app.js would, launches the app,
 * opens a page, and waits until the SDK says it is initialised.
 */
async function start(sdk, mode) {
  const runtime = createRuntime();
  let handle = { sdk: runtime.run('({ track: function () {} })'), ready: () => true };
  if (sdk) handle = runtime.run(sdk.setup)(runtime.load(sdk.file), mode);
  runtime.launch();
  runtime.openPage(runtime.run("({ sku: 'tea-01' })"));
  const until = performance.now() + 5000;
  while (!handle.ready()) {
    if (performance.now() > until) throw new Error(`${sdk.id} was not ready within 5 s`);
    await sleep(5);
  }
  return { runtime, handle };
}

/**
 * track() timed from outside the vm, for every SDK of `sdks` (null: an empty track(), the
 * timing floor) in its own runtime, all loaded at once and taking turns round by round, so
 * that all see the same machine (this 2-core one is shared and its speed drifts by the
 * second). Warm-up rounds, then `rounds` × `size` calls each timed alone, then as many rounds
 * timed whole; between rounds the event loop turns (2 ms), so answers and timers run untimed.
 */
export async function measureCalls(sdks, settings) {
  const all = [];
  try {
    for (const sdk of sdks) {
      const { runtime, handle } = await start(sdk, 'enqueue');
      const one = runtime.run(TRACK_ONE)(handle.sdk);
      const many = runtime.run(TRACK_MANY)(handle.sdk);
      all.push({ sdk, runtime, handle, one, many, single: [], perRound: [] });
    }
    const { roundSize: size, rounds } = settings;
    for (let r = 0; r < settings.warmupRounds; r++) {
      for (const s of orderOf(all, r)) {
        s.many(size);
        await sleep(2);
      }
    }
    for (const s of all) s.sentBefore = s.runtime.requests.length;
    for (let r = 0; r < rounds; r++) {
      for (const s of orderOf(all, r)) {
        const times = new Float64Array(size);
        for (let i = 0; i < size; i++) {
          const t0 = performance.now();
          s.one();
          times[i] = (performance.now() - t0) * 1000;
        }
        s.single.push(times);
        await sleep(2);
      }
    }
    for (let r = 0; r < rounds; r++) {
      for (const s of orderOf(all, r)) {
        const t0 = performance.now();
        s.many(size);
        s.perRound.push(((performance.now() - t0) * 1000) / size);
        await sleep(2);
      }
    }
    return all.map(summarizeCalls);
  } finally {
    for (const s of all) s.runtime.dispose();
  }
}

function summarizeCalls({ sdk, runtime, handle, single, perRound, sentBefore }) {
  const times = new Float64Array(single.reduce((sum, t) => sum + t.length, 0));
  single.reduce((at, t) => (times.set(t, at), at + t.length), 0);
  times.sort();
  perRound.sort((a, b) => a - b);
  return {
    sdk: sdk?.id ?? null,
    calls: times.length,
    medianUs: round2(quantile(times, 0.5)),
    p99Us: round2(quantile(times, 0.99)),
    maxUs: round2(times[times.length - 1]),
    roundMeanUs: { median: round2(quantile(perRound, 0.5)), min: round2(perRound[0]) },
    requestsWhileTimed: runtime.requests.length - sentBefore,
    queuedAtEnd: handle.queued?.() ?? null,
    droppedAtEnd: handle.dropped?.() ?? null,
    logs: runtime.logs,
  };
}

/** `n` calls, `chunk` per task, a timer turn (≥ 1 ms) between tasks, as an app spreads them. */
async function paced(many, n, chunk) {
  for (let done = 0; done < n; done += chunk) {
    many(Math.min(chunk, n - done));
    await sleep(1);
  }
}

/** Waits until no request is open and none has started for `quietMs` (or `timeoutMs` passed). */
async function quiet(runtime, quietMs, timeoutMs) {
  const from = performance.now();
  for (;;) {
    const now = performance.now();
    const calm = runtime.net.inFlight === 0 && now - Math.max(runtime.net.lastAt, from) >= quietMs;
    if (calm) return true;
    if (now - from > timeoutMs) return false;
    await sleep(20);
  }
}

/**
 * CPU per event with the SDK's delivery defaults, in one runtime: a warm-up of `warmup` events
 * and a hide (which flushes); then for each pacing (events per task), a show, and, timed by
 * process.cpuUsage() (every thread of this process), `events` paced calls, a hide, and the
 * wait until the SDK has been quiet for `quietMs`. Events in the requests are counted after the
 * clock stops. `sdk` null measures the harness alone (pacing, polling, the wx fake's timers).
 */
export async function measureCpu(sdk, settings) {
  const { runtime, handle } = await start(sdk, 'deliver');
  try {
    const many = runtime.run(TRACK_MANY)(handle.sdk);
    await paced(many, settings.warmup, 10);
    runtime.hide();
    await quiet(runtime, settings.quietMs, settings.timeoutMs);
    const byChunk = {};
    for (const chunk of settings.chunks) {
      runtime.show();
      await sleep(5);
      const first = runtime.requests.length;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await paced(many, settings.events, chunk);
      runtime.hide();
      const settled = await quiet(runtime, settings.quietMs, settings.timeoutMs);
      const cpu = process.cpuUsage(cpu0);
      const wallMs = performance.now() - t0;
      const sent = runtime.requests.slice(first);
      const events = sdk ? sent.flatMap((r) => sdk.eventsOf(r.data)) : [];
      const bytes = sent.reduce((sum, r) => sum + Buffer.byteLength(String(r.data)), 0);
      byChunk[chunk] = {
        cpuUsPerEvent: round2((cpu.user + cpu.system) / settings.events),
        wallMs: Math.round(wallMs),
        settled,
        requests: sent.length,
        delivered: events.filter((e) => e.event === EVENT).length,
        otherEvents: events.length - events.filter((e) => e.event === EVENT).length,
        bytesPerEvent: events.length ? Math.round(bytes / events.length) : null,
        queuedAtEnd: handle.queued?.() ?? null,
      };
    }
    return { events: settings.events, byChunk, logs: runtime.logs };
  } finally {
    runtime.dispose();
  }
}
