// The benchmark page of web.js and the code that runs inside it. `measureCalls` and
// `trackOnly` are handed to page.evaluate: Playwright sends their source to the page, so they
// may use nothing from this module.
/* global window, document */

/** The page for one SDK: a long-task observer, the ready promise, then the SDK's own <head>. */
export function pageHtml(sdk, sink) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>spoor web benchmark: ${sdk.id}</title>
<script>
window.__bench = { longTasks: [], errors: [] };
try {
  new PerformanceObserver(function (list) {
    list.getEntries().forEach(function (e) { window.__bench.longTasks.push({ start: e.startTime, ms: e.duration }); });
  }).observe({ type: 'longtask', buffered: true });
} catch (e) { window.__bench.errors.push('no longtask observer: ' + e); }
window.__benchReady = new Promise(function (resolve, reject) {
  window.__benchResolve = function () { window.__bench.readyAt = performance.now(); resolve(); };
  window.__benchReject = reject;
});
</script>
${sdk.head(sink)}
</head>
<body>
<h1>Tea shop</h1>
<button id="buy" type="button">Buy</button>
<a href="#details">Details</a>
</body>
</html>
`;
}

/**
 * Runs inside the page once the SDK is ready: `warmup` calls (not counted), then `calls` calls
 * each timed alone, then `batches` batches of `batchSize` calls each timed as a whole. Every
 * `chunk` calls the loop yields a task (setTimeout 0), so the SDK's deferred work runs between
 * chunks, as it would in a page, and no single task runs thousands of calls. Returns the
 * single-call timings (µs) and each batch's per-call mean (µs). Each of the two phases stops
 * early, and says so, once it has run for `budgetMs`.
 */
export async function measureCalls(job) {
  const { global, method, warmup, calls, batches, batchSize, chunk, budgetMs } = job;
  const client = window[global];
  const call = client[method].bind(client);
  const name = 'Product Viewed';
  const props = (i) => ({ product_id: 'p-' + i, price: 19.9, currency: 'CNY', category: 'tea' });
  const pause = () => new Promise((resolve) => setTimeout(resolve, 0));
  let i = 0;
  for (let n = 0; n < warmup; n++) {
    call(name, props(i++));
    if (n % chunk === chunk - 1) await pause();
  }
  await pause();
  const startedAt = performance.now();
  const single = [];
  for (let n = 0; n < calls; n++) {
    const p = props(i++);
    const t0 = performance.now();
    call(name, p);
    single.push(Math.round((performance.now() - t0) * 100000) / 100);
    if (n % chunk === chunk - 1 && performance.now() - startedAt > budgetMs) break;
    if (n % chunk === chunk - 1) await pause();
  }
  const batchStartedAt = performance.now();
  const batch = [];
  for (let b = 0; b < batches && performance.now() - batchStartedAt < budgetMs; b++) {
    await pause();
    const ps = [];
    for (let k = 0; k < batchSize; k++) ps.push(props(i++));
    const t0 = performance.now();
    for (let k = 0; k < batchSize; k++) call(name, ps[k]);
    batch.push(((performance.now() - t0) * 1000) / batchSize);
  }
  const longTasks = window.__bench.longTasks;
  return {
    crossOriginIsolated: window.crossOriginIsolated === true,
    readyAtMs: window.__bench.readyAt,
    single,
    batch,
    measureSeconds: (performance.now() - startedAt) / 1000,
    longTasksBeforeReady: longTasks.filter((t) => t.start < window.__bench.readyAt),
    longTasksWhileMeasuring: longTasks.filter((t) => t.start >= startedAt),
    pageErrors: window.__bench.errors,
    documentScripts: Array.from(document.scripts, (s) => s.src).filter(Boolean),
  };
}

/** `n` track calls, `chunk` per task, for the main-thread-time figure (timed from outside). */
export async function trackOnly({ global, method, n, chunk, offset }) {
  const client = window[global];
  const pause = () => new Promise((resolve) => setTimeout(resolve, 0));
  for (let i = 0; i < n; i++) {
    const p = { product_id: 'p-' + (offset + i), price: 19.9, currency: 'CNY', category: 'tea' };
    client[method]('Product Viewed', p);
    if (i % chunk === chunk - 1) await pause();
  }
}
