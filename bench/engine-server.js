// The collector under test for engine-ingest.js and engine-backfill.js, as a child process: the
// real buildCollector (synchronous=FULL) on the data dir given by the parent. It answers `stats`
// with what it acknowledged, CPU per thread, and the engine sink's progress (committed events,
// the sink's lag, both from the collector's own metrics); `close` shuts it down cleanly.
// argv: dataDir, writeKey, engine mode — `real`, or `stub`: the engine sink's deliver() replaced
// by a no-op, the collector as it would be without an engine (the outbox is still read).
import { buildCollector } from '@spoor/collector';
// The very module buildCollector uses (the same file, so the same class).
import { EngineSink } from '../collector/dist/definitions/engine-sink.js';
import { countAcks, listen, metricsText, serve, threadCpu } from './collector-child.js';
import { ADMIN_TOKEN } from './common.js';

const [dataDir, writeKey, mode = 'real'] = process.argv.slice(2);
if (!dataDir || !writeKey)
  throw new Error('usage: engine-server.js <dataDir> <writeKey> [real|stub]');
if (mode === 'stub') EngineSink.prototype.deliver = () => Promise.resolve();

const app = buildCollector({
  dataDir,
  writeKeys: [{ key: writeKey, source: 'web', origins: null }],
  adminToken: ADMIN_TOKEN,
  logger: process.env.BENCH_LOG_LEVEL ? { level: process.env.BENCH_LOG_LEVEL } : false,
  sqliteSync: 'full',
  // China time, as the definitions' day windows assume.
  dayOffsetMinutes: 480,
});

const acked = countAcks(app);
const { url, started } = await listen(app, { host: '127.0.0.1', port: 0 });
// Threads that appeared while the collector started: its ingest workers and SQLite worker.
const workers = new Set(started);

serve(app, url, acked, async () => {
  const body = await metricsText(app, ADMIN_TOKEN);
  const value = (pattern) => Number(new RegExp(`^${pattern} (\\S+)$`, 'm').exec(body)?.[1] ?? NaN);
  return {
    cpu: threadCpu((tid) => workers.has(tid)),
    committed: value('spoor_commit_rows_sum'),
    engineLag: value('spoor_outbox_lag_events\\{sink="engine"\\}'),
  };
});
