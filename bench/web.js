// The web SDK against @segment/analytics-next and posthog-js, in real headless Chromium, in one
// run: the script-tag file's bytes (minified, and gzip level 9), and the main-thread cost of a
// track() call once the SDK is loaded and initialised — each call timed alone (median, p99) and
// batches of calls timed whole (mean per call) — plus, in another fresh context, the main-thread
// time per event including the SDK's deferred work until the events reach the sink (CDP's
// TaskDuration). The page is cross-origin isolated, so performance.now() ticks in 5 µs.
// Part of `pnpm bench` (last; BENCH_WEB=0 skips it) and runnable alone after `pnpm build`:
// `node bench/web.js`. It uses sdk-web/dist/spoor.js and the peers' files from node_modules.
// Environment: BENCH_WEB_CALLS (single-timed calls, default 10,000), BENCH_WEB_WARMUP (500),
// BENCH_WEB_BATCHES (100) of BENCH_WEB_BATCH_SIZE (100) calls, BENCH_WEB_BUDGET (s each of the
// two timed phases may take before it stops and says so, 30), BENCH_WEB_ROUNDS (1; more
// alternate the order and keep each figure's lowest), BENCH_WEB_EVENTS (events for the
// main-thread figure, 1,000), BENCH_WEB_SDKS (e.g. `spoor,posthog`: only these), CHROMIUM
// (default /usr/bin/chromium).
// Exits non-zero only when the benchmark breaks (an SDK fails to load or throws).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { measureBundle, positive, RESULTS_DIR } from './common.js';
import { describeMachine } from './report.js';
import { measureCalls, pageHtml, trackOnly } from './web-page.js';
import { buildState, formatWebTable, summarizeRun, summarizeWeb } from './web-report.js';
import { SDKS, segmentSettings, WRITE_KEY } from './web-sdks.js';
import { startPageServer, startSink } from './web-server.js';

const log = (...args) => console.log(...args);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const MARKER = 'product_id'; // once in every tracked event's properties

/** Runs the web SDK benchmark; resolves with whether every SDK loaded and ran. */
export async function runWebBenchmark() {
  const settings = {
    calls: Math.round(positive('BENCH_WEB_CALLS', 10_000)),
    warmup: Math.round(positive('BENCH_WEB_WARMUP', 500)),
    batches: Math.round(positive('BENCH_WEB_BATCHES', 100)),
    batchSize: Math.round(positive('BENCH_WEB_BATCH_SIZE', 100)),
    rounds: Math.ceil(positive('BENCH_WEB_ROUNDS', 1)),
    events: Math.round(positive('BENCH_WEB_EVENTS', 1000)),
    budgetSeconds: positive('BENCH_WEB_BUDGET', 30),
    chunk: 100,
    deliveryTimeoutMs: 20_000,
  };
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  const machine = describeMachine();
  const only = process.env.BENCH_WEB_SDKS?.split(',');
  const chosen = SDKS.filter((s) => !only || only.includes(s.id));
  const sdks = chosen.filter((s) => existsSync(s.file));
  const missing = chosen.filter((s) => !existsSync(s.file));
  log(`\nweb SDK benchmark — ${SDKS.map((s) => s.name).join(' vs ')}, headless Chromium`);
  log(
    `${machine.nproc} cores, load average ${machine.loadAverage.join(' ')}; ${settings.rounds} rounds, order alternating`,
  );
  for (const s of missing)
    log(`warning: ${s.fileLabel} is missing (pnpm build?): ${s.name} skipped`);

  const bundles = sdks.map(measureBundle);
  for (const b of bundles)
    log(
      `  ${b.name.padEnd(24)} ${b.file}: ${b.bytes.toLocaleString('en-US')} B, gzip -9 ${b.gzipBytes.toLocaleString('en-US')} B`,
    );

  const sink = await startSink(MARKER, (path) =>
    path === `/v1/projects/${WRITE_KEY}/settings` ? segmentSettings(sink.origin) : undefined,
  );
  const routes = new Map();
  for (const s of sdks) {
    routes.set(s.scriptPath, { type: 'text/javascript', body: readFileSync(s.file) });
    routes.set(`/${s.id}.html`, { type: 'text/html', body: (origin) => pageHtml(s, origin) });
  }
  routes.set('/blank.html', { type: 'text/html', body: pageHtml({ id: 'blank', head: noSdk }) });
  const pages = await startPageServer(routes, sink.origin);
  const browser = await chromium.launch({ executablePath, headless: true, args: LAUNCH_ARGS });
  const version = browser.version();
  log(`chromium ${version}; pages on ${pages.origin}, sink on ${sink.origin}\n`);
  const runs = [];
  const failures = missing.map((s) => ({ sdk: s.id, error: `${s.fileLabel} missing` }));
  try {
    const env = { browser, pages, sink, settings };
    const blankPage = await openSdk(env, { id: 'blank' });
    const baselineHeap = blankPage.heapUsed;
    await blankPage.close();
    for (let round = 0; round < settings.rounds; round++) {
      for (const sdk of round % 2 === 0 ? sdks : [...sdks].reverse()) {
        try {
          const run = await measureSdk(env, sdk, round, baselineHeap);
          runs.push(run);
          log(summarizeRun(run));
        } catch (error) {
          failures.push({ sdk: sdk.id, round, error: String(error?.stack ?? error) });
          log(`  ${sdk.name}: FAILED — ${error?.message ?? error}`);
        }
      }
    }
  } finally {
    await browser.close();
    await pages.close();
    await sink.close();
  }

  const results = {
    date: new Date().toISOString(),
    machine: { ...machine, loadAverageAtEnd: describeMachine().loadAverage },
    chromium: { executablePath, version, args: LAUNCH_ARGS },
    settings,
    build: buildState(),
    bundles,
    runs,
    failures,
  };
  results.summary = summarizeWeb(results);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(new URL('web.json', RESULTS_DIR), `${JSON.stringify(results, null, 2)}\n`);
  log(`\n${formatWebTable(results)}\n`);
  for (const warning of results.build.warnings) log(`warning: ${warning}`);
  for (const f of failures) console.error(`web benchmark: ${f.sdk} failed: ${f.error}`);
  log(`load average at end: ${results.machine.loadAverageAtEnd.join(' ')}`);
  log('results written to bench/results/web.json');
  return failures.length === 0;
}

const noSdk = () => '<script>__benchResolve();</script>';

/**
 * A fresh context with the SDK's page, loaded and initialised. It records what the page asks
 * for outside 127.0.0.1, its console errors and warnings, and the JS heap after a full GC.
 */
async function openSdk({ browser, pages, sink }, sdk) {
  // Headless Chromium says HeadlessChrome in its user agent, and PostHog drops bots' events.
  const userAgent = `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${browser.version()} Safari/537.36`;
  const context = await browser.newContext({ userAgent });
  const page = await context.newPage();
  const seen = { console: [], pageErrors: [], external: [], scripts: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning')
      seen.console.push(`${m.type()}: ${m.text()}`.slice(0, 500));
  });
  page.on('pageerror', (e) => seen.pageErrors.push(String(e).slice(0, 500)));
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.hostname !== '127.0.0.1') seen.external.push(r.url());
    if (r.resourceType() === 'script') seen.scripts.push(url.pathname);
  });
  sink.take();
  await page.goto(`${pages.origin}/${sdk.id}.html`, { waitUntil: 'load', timeout: 15_000 });
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${sdk.id} not ready within 15 s`)), 15_000);
  });
  try {
    await Promise.race([page.evaluate(() => globalThis.__benchReady), late]);
  } finally {
    clearTimeout(timer);
  }
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const init = sink.take();
  return {
    page,
    cdp,
    seen,
    initRequests: init.requests.map((r) => `${r.method} ${r.path}`),
    heapUsed: usedSize,
    close: () => context.close(),
  };
}

async function measureSdk(env, sdk, round, baselineHeap) {
  const { settings, sink } = env;
  const page1 = await openSdk(env, sdk);
  let timing;
  try {
    timing = await page1.page.evaluate(measureCalls, {
      global: sdk.global,
      method: sdk.method,
      warmup: settings.warmup,
      calls: settings.calls,
      batches: settings.batches,
      batchSize: settings.batchSize,
      chunk: settings.chunk,
      budgetMs: settings.budgetSeconds * 1000,
    });
    timing.sinkRequests = sink.take().requests.length;
  } finally {
    await page1.close();
  }
  const mainThread = await measureMainThread(env, sdk);
  const { single, batch, ...rest } = timing;
  return {
    sdk: sdk.id,
    round,
    ...rest,
    callsAsked: settings.calls,
    batchesAsked: settings.batches,
    singleUs: describe(single),
    slowestSingleUs: slowest(single, 5),
    sliceMeansUs: slices(single, 1000),
    batchUs: { mean: mean(batch), median: quantile(sorted(batch), 0.5), count: batch.length },
    resolutionUs: resolution(single),
    heapAfterInitBytes: page1.heapUsed - baselineHeap,
    initRequests: page1.initRequests,
    scriptsLoaded: page1.seen.scripts,
    external: page1.seen.external,
    console: page1.seen.console,
    pageErrors: page1.seen.pageErrors,
    mainThread,
  };
}

/**
 * Main-thread time per event, deferred work included: in a fresh context, a warm-up of 200
 * calls delivered, then `events` calls (100 per task), timed by CDP's TaskDuration from before
 * the calls until the sink holds every event (or the timeout passes) and 300 ms more.
 */
async function measureMainThread(env, sdk) {
  const { settings, sink } = env;
  const opened = await openSdk(env, sdk);
  const { page, cdp } = opened;
  const args = { global: sdk.global, method: sdk.method, chunk: settings.chunk };
  const waitDelivered = async (n) => {
    const until = Date.now() + settings.deliveryTimeoutMs;
    while (sink.delivered() < n && Date.now() < until) await sleep(25);
    return sink.delivered();
  };
  try {
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await page.evaluate(trackOnly, { ...args, n: 200, offset: 0 });
    await waitDelivered(200);
    await sleep(300);
    sink.take();
    const before = await metrics(cdp);
    const startedAt = Date.now();
    await page.evaluate(trackOnly, { ...args, n: settings.events, offset: 200 });
    const delivered = await waitDelivered(settings.events);
    const deliveredMs = Date.now() - startedAt;
    await sleep(300);
    const after = await metrics(cdp);
    const { requests } = sink.take();
    const per = (k) => ((after[k] - before[k]) * 1e6) / settings.events;
    return {
      events: settings.events,
      delivered,
      deliveredMs,
      requests: requests.length,
      taskUsPerEvent: round2(per('TaskDuration')),
      scriptUsPerEvent: round2(per('ScriptDuration')),
    };
  } finally {
    await opened.close();
  }
}

async function metrics(cdp) {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

const round2 = (v) => Math.round(v * 100) / 100;
const sorted = (xs) => Float64Array.from(xs).sort();
const mean = (xs) => round2(xs.reduce((a, b) => a + b, 0) / xs.length);
/** Nearest-rank quantile of sorted values. */
const quantile = (s, q) => round2(s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]);

function describe(xs) {
  const s = sorted(xs);
  return {
    count: s.length,
    median: quantile(s, 0.5),
    p90: quantile(s, 0.9),
    p99: quantile(s, 0.99),
    max: round2(s.at(-1)),
    mean: mean(xs),
    zeroShare: round2(s.filter((v) => v === 0).length / s.length),
  };
}

/** The `k` slowest single calls, with their position among the timed calls. */
const slowest = (xs, k) =>
  xs
    .map((us, call) => ({ call, us }))
    .sort((a, b) => b.us - a.us)
    .slice(0, k);

/** The mean of every `size` consecutive values: does the cost grow as calls accumulate? */
const slices = (xs, size) =>
  Array.from({ length: Math.ceil(xs.length / size) }, (_, i) =>
    mean(xs.slice(i * size, (i + 1) * size)),
  );

/** The smallest step between distinct single-call timings: the timer's effective resolution. */
function resolution(xs) {
  const s = [...new Set(sorted(xs))];
  let min = Infinity;
  for (let i = 1; i < s.length; i++) min = Math.min(min, s[i] - s[i - 1]);
  return Number.isFinite(min) ? round2(min) : null;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    if (!(await runWebBenchmark())) process.exitCode = 1;
  } catch (error) {
    console.error(error);
    process.exit(1);
  }
}
