// The collector under test for identity.js, as a child process: configured the way
// `collector/dist/bin.js` is, through `loadConfig` over SPOOR_* variables (given as a JSON
// argument, so nothing else in the parent's environment leaks in), so `SPOOR_IDENTITY=off`
// takes the same path as in production. It answers `stats` with what it acknowledged, its
// identity counters and where its CPU time went, and `close` by shutting down cleanly.
import { readFileSync } from 'node:fs';
import { buildCollector, loadConfig } from '@spoor/collector';
import { countAcks, listen, metricsText, serve, threadCpu } from './collector-child.js';

const loaded = loadConfig(JSON.parse(process.argv[2] ?? '{}'));
if (!loaded.ok) throw new Error(loaded.error);
const config = loaded.value;
if (!config.writeKeys || !config.adminToken) throw new Error('write keys and admin token needed');
const app = buildCollector({
  ...config,
  writeKeys: config.writeKeys,
  adminToken: config.adminToken,
});

const acked = countAcks(app);
const { url, started } = await listen(app, { host: config.host, port: config.port });
// The store opens (and its worker starts) before the ingest pool's workers: of the threads that
// appeared while the collector started, the storage thread has the lowest id.
const storeThread = Math.min(...started);

serve(app, url, acked, async () => {
  const m = await metrics();
  // CPU seconds: the main thread (HTTP), the storage thread, and the rest (ingest threads, GC).
  return { cpu: threadCpu((tid) => tid === storeThread), io: diskIo(), metrics: m };
});

/** The counters identity.js reports, from the collector's own Prometheus text. */
async function metrics() {
  const body = await metricsText(app, config.adminToken);
  const sum = (name) =>
    [...body.matchAll(new RegExp(`^${name}(?:{[^}]*})? (\\S+)$`, 'gm'))].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
  return {
    commits: sum('spoor_commit_rows_count'),
    commitRows: sum('spoor_commit_rows_sum'),
    commitSeconds: sum('spoor_commit_duration_seconds_sum'),
    merges: sum('spoor_identity_merges_total'),
    recomputes: sum('spoor_identity_recomputes_total'),
    refused: sum('spoor_identity_links_refused_total'),
    rejected: sum('spoor_events_rejected_total'),
  };
}

/** Bytes this process has had read from and written to the disk (page cache writeback included). */
function diskIo() {
  const io = readFileSync('/proc/self/io', 'utf8');
  const field = (name) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1] ?? NaN);
  return { read: field('read_bytes'), written: field('write_bytes') };
}
