// The collector under test, as a child of run.js: the real buildCollector, SQLite with
// synchronous=FULL, a data dir given by the parent (argv[2]). It answers `stats` messages with
// what it acknowledged and where its CPU time went, and `close` by shutting down cleanly.
import { performance } from 'node:perf_hooks';
import { buildCollector } from '@spoor/collector';
import { countAcks, listen, metricsText, serve, threadCpu } from './collector-child.js';

const [dataDir, writeKey] = process.argv.slice(2);
if (!dataDir || !writeKey) throw new Error('usage: collector-server.js <dataDir> <writeKey>');

const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const app = buildCollector({
  dataDir,
  writeKeys: [{ key: writeKey, source: 'web', origins: null }],
  adminToken: ADMIN_TOKEN,
  logger: false,
  sqliteSync: process.env.BENCH_SYNC ?? 'full',
  // Knobs for experiments; the benchmark of record uses the collector's defaults.
  ...(process.env.BENCH_INGEST_THREADS
    ? { ingestThreads: Number(process.env.BENCH_INGEST_THREADS) }
    : {}),
});

const acked = countAcks(app);
const { url, started } = await listen(app, { host: '127.0.0.1', port: 0 });
// Threads that appeared while the collector started: its ingest workers and SQLite worker.
const storeThreads = new Set(started);
let elu = performance.eventLoopUtilization();

serve(app, url, acked, async () => {
  const now = performance.eventLoopUtilization();
  const loop = performance.eventLoopUtilization(now, elu).utilization;
  elu = now;
  const commits = await commitStats();
  return { loop, cpu: cpuByThread(), commits };
});

/** Transactions and rows committed so far, from the collector's own Prometheus histogram. */
async function commitStats() {
  const body = await metricsText(app, ADMIN_TOKEN);
  const value = (name) =>
    Number(new RegExp(`^${name}(?:{[^}]*})? (\\S+)$`, 'm').exec(body)?.[1] ?? NaN);
  const buckets = (name) =>
    [...body.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`, 'gm'))].map(
      ([, le, n]) => [Number(le), Number(n)],
    );
  return {
    count: value('spoor_commit_rows_count'),
    rows: value('spoor_commit_rows_sum'),
    commitSeconds: buckets('spoor_commit_duration_seconds'),
    prepareSeconds: buckets('spoor_ingest_prepare_seconds'),
  };
}

/** CPU seconds per thread, grouped into the main thread, the store's worker and the rest. */
function cpuByThread() {
  return { ...threadCpu((tid) => storeThreads.has(tid)), storeThreads: storeThreads.size };
}
