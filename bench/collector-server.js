// The collector under test, as a child of run.js: the real buildCollector, SQLite with
// synchronous=FULL, a data dir given by the parent (argv[2]). It answers `stats` messages with
// what it acknowledged and where its CPU time went, and `close` by shutting down cleanly.
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { buildCollector } from '@spoor/collector';

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

// Counted as replies are sent, so requests the load generator abandoned at the end of a run
// (answered by the server, never read by the client) are still accounted for.
const acked = { requests: 0, events: 0, duplicates: 0, statuses: {} };
app.addHook('onSend', async (request, reply, payload) => {
  if (request.method !== 'POST') return payload;
  const status = reply.statusCode;
  acked.statuses[status] = (acked.statuses[status] ?? 0) + 1;
  if (status === 200 && typeof payload === 'string') {
    acked.requests++;
    acked.events += Number(/"accepted":(\d+)/.exec(payload)?.[1] ?? 0);
    acked.duplicates += Number(/"duplicates":(\d+)/.exec(payload)?.[1] ?? 0);
  }
  return payload;
});

const before = new Set(threadIds());
const url = await app.listen({ host: '127.0.0.1', port: 0 });
// Threads that appeared while the collector started: its ingest workers and SQLite worker.
const storeThreads = new Set(threadIds().filter((tid) => !before.has(tid)));
let elu = performance.eventLoopUtilization();

process.send({ type: 'ready', url, pid: process.pid });
process.on('message', (message) => {
  if (message.type === 'stats') {
    const now = performance.eventLoopUtilization();
    const loop = performance.eventLoopUtilization(now, elu).utilization;
    elu = now;
    void commitStats().then((commits) =>
      process.send({
        type: 'stats',
        acked: structuredClone(acked),
        loop,
        cpu: threadCpu(),
        commits,
      }),
    );
  } else if (message.type === 'close') {
    void app.close().then(() => {
      process.send({ type: 'closed', acked }, () => process.disconnect());
    });
  }
});

/** Transactions and rows committed so far, from the collector's own Prometheus histogram. */
async function commitStats() {
  const res = await app.inject({
    url: '/metrics',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  const value = (name) =>
    Number(new RegExp(`^${name}(?:{[^}]*})? (\\S+)$`, 'm').exec(res.body)?.[1] ?? NaN);
  const buckets = (name) =>
    [...res.body.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`, 'gm'))].map(
      ([, le, n]) => [Number(le), Number(n)],
    );
  return {
    count: value('spoor_commit_rows_count'),
    rows: value('spoor_commit_rows_sum'),
    commitSeconds: buckets('spoor_commit_duration_seconds'),
    prepareSeconds: buckets('spoor_ingest_prepare_seconds'),
  };
}

function threadIds() {
  return readdirSync('/proc/self/task').map(Number);
}

/** CPU seconds per thread, grouped into the main thread, the store's worker and the rest. */
function threadCpu() {
  const out = { main: 0, store: 0, other: 0, storeThreads: storeThreads.size };
  for (const tid of threadIds()) {
    let stat;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const seconds = (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, USER_HZ
    if (tid === process.pid) out.main += seconds;
    else out[storeThreads.has(tid) ? 'store' : 'other'] += seconds;
  }
  return out;
}
