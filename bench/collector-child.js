// What collector-server.js and identity-server.js share: the collector under test runs as a
// child of the benchmark, counts what it acknowledged, and answers the parent over IPC.
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Counts POST answers by status, and the events and duplicates of the 200s. Counted as replies
 * are sent, so requests the load generator abandoned at the end of a run (answered by the
 * server, never read by the client) are still accounted for.
 */
export function countAcks(app) {
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
  return acked;
}

/** Starts `app` listening; resolves with its URL and the threads that appeared meanwhile. */
export async function listen(app, options) {
  const before = new Set(threadIds());
  const url = await app.listen(options);
  return { url, started: threadIds().filter((tid) => !before.has(tid)) };
}

/**
 * Tells the parent the collector is `ready` at `url`, then answers its messages: `stats` with
 * `acked` and the fields `stats()` resolves with, `close` by shutting down cleanly.
 */
export function serve(app, url, acked, stats) {
  process.send({ type: 'ready', url, pid: process.pid });
  process.on('message', (message) => {
    if (message.type === 'stats') {
      void stats().then((fields) =>
        process.send({ type: 'stats', acked: structuredClone(acked), ...fields }),
      );
    } else if (message.type === 'close') {
      void app.close().then(() => {
        process.send({ type: 'closed', acked }, () => process.disconnect());
      });
    }
  });
}

/** The collector's own Prometheus text, as an admin reads it from /metrics. */
export async function metricsText(app, adminToken) {
  const res = await app.inject({
    url: '/metrics',
    headers: { authorization: `Bearer ${adminToken}` },
  });
  return res.body;
}

/** CPU seconds per thread: the main thread, those `isStore(tid)` picks, and the rest. */
export function threadCpu(isStore) {
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
    else if (isStore(tid)) out.store += seconds;
    else out.other += seconds;
  }
  return out;
}

function threadIds() {
  return readdirSync('/proc/self/task').map(Number);
}
