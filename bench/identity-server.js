// The collector under test for identity.js, as a child process: configured the way
// `collector/dist/bin.js` is, through `loadConfig` over SPOOR_* variables (given as a JSON
// argument, so nothing else in the parent's environment leaks in), so `SPOOR_IDENTITY=off`
// takes the same path as in production. It answers `stats` with what it acknowledged, its
// identity counters and where its CPU time went, and `close` by shutting down cleanly.
import { readdirSync, readFileSync } from 'node:fs';
import { buildCollector, loadConfig } from '@spoor/collector';

const loaded = loadConfig(JSON.parse(process.argv[2] ?? '{}'));
if (!loaded.ok) throw new Error(loaded.error);
const config = loaded.value;
if (!config.writeKeys || !config.adminToken) throw new Error('write keys and admin token needed');
const app = buildCollector({
  ...config,
  writeKeys: config.writeKeys,
  adminToken: config.adminToken,
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
const url = await app.listen({ host: config.host, port: config.port });
// The store opens (and its worker starts) before the ingest pool's workers: of the threads that
// appeared while the collector started, the storage thread has the lowest id.
const started = threadIds().filter((tid) => !before.has(tid));
const storeThread = Math.min(...started);

process.send({ type: 'ready', url, pid: process.pid });
process.on('message', (message) => {
  if (message.type === 'stats') {
    void metrics().then((m) =>
      process.send({
        type: 'stats',
        acked: structuredClone(acked),
        cpu: threadCpu(),
        io: diskIo(),
        metrics: m,
      }),
    );
  } else if (message.type === 'close') {
    void app.close().then(() => {
      process.send({ type: 'closed', acked }, () => process.disconnect());
    });
  }
});

/** The counters identity.js reports, from the collector's own Prometheus text. */
async function metrics() {
  const res = await app.inject({
    url: '/metrics',
    headers: { authorization: `Bearer ${config.adminToken}` },
  });
  const sum = (name) =>
    [...res.body.matchAll(new RegExp(`^${name}(?:{[^}]*})? (\\S+)$`, 'gm'))].reduce(
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

function threadIds() {
  return readdirSync('/proc/self/task').map(Number);
}

/** CPU seconds: the main thread (HTTP), the storage thread, and the rest (ingest threads, GC). */
function threadCpu() {
  const out = { main: 0, store: 0, other: 0 };
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
    else if (tid === storeThread) out.store += seconds;
    else out.other += seconds;
  }
  return out;
}
