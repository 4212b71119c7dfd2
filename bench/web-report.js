// The log lines, summary and table of web.js, and what was built when it ran.
import { buildState as stateOf } from './build-state.js';
import { fmt as n } from './common.js';
import { SDKS } from './web-sdks.js';

const PEERS = SDKS.filter((s) => s.id !== 'spoor');

/** What was built when the web benchmark ran: the bundle against the core's and web's sources. */
export const buildState = () =>
  stateOf(
    ['sdk-core', 'sdk-web'],
    [{ dist: 'sdk-web/dist', sources: ['sdk-core/src', 'sdk-web/src'] }],
  );

const nameOf = (id) => SDKS.find((s) => s.id === id)?.name ?? id;

/** One SDK's round, in a few lines. */
export function summarizeRun(r) {
  const s = r.singleUs;
  const m = r.mainThread;
  const lines = [
    `  ${nameOf(r.sdk).padEnd(24)} round ${r.round + 1}: track() single call median ${s.median} µs, p99 ${s.p99} µs (${Math.round(s.zeroShare * 100)} % read 0); batches of 100: ${r.batchUs.mean} µs per call; ${r.sinkRequests} requests to the sink meanwhile`,
    `    main thread incl. deferred work: ${m.taskUsPerEvent} µs per event, ${n(m.delivered)} of ${n(m.events)} events at the sink in ${m.deliveredMs} ms, ${m.requests} requests`,
    `    ready ${Math.round(r.readyAtMs)} ms after navigation; crossOriginIsolated ${r.crossOriginIsolated}, timer step ${r.resolutionUs} µs; long tasks: ${describeLongTasks(r.longTasksBeforeReady)} before ready, ${describeLongTasks(r.longTasksWhileMeasuring)} while measuring`,
  ];
  if (r.singleUs.count < r.callsAsked || r.batchUs.count < r.batchesAsked)
    lines.push(
      `    STOPPED at the budget: ${n(r.singleUs.count)} of ${n(r.callsAsked)} single calls, ${r.batchUs.count} of ${r.batchesAsked} batches`,
    );
  if (r.initRequests.length) lines.push(`    requests while loading: ${r.initRequests.join(', ')}`);
  if (r.external.length) lines.push(`    OUTSIDE 127.0.0.1: ${r.external.join(', ')}`);
  for (const c of [...r.console, ...r.pageErrors].slice(0, 5)) lines.push(`    page: ${c}`);
  return lines.join('\n');
}

function describeLongTasks(tasks) {
  if (!tasks.length) return 'none';
  return `${tasks.length} (longest ${Math.round(Math.max(...tasks.map((t) => t.ms)))} ms)`;
}

/** Per SDK, each figure's lowest value over the rounds; peer / Spoor ratios; the targets. */
export function summarizeWeb({ bundles, runs }) {
  const figures = {};
  for (const b of bundles) figures[b.sdk] = { bytes: b.bytes, gzipBytes: b.gzipBytes };
  const low = (sdk, f) => {
    const values = runs.filter((r) => r.sdk === sdk).map(f);
    return values.length ? Math.min(...values) : null;
  };
  for (const sdk of SDKS.map((s) => s.id)) {
    if (!runs.some((r) => r.sdk === sdk)) continue;
    Object.assign((figures[sdk] ??= {}), {
      medianUs: low(sdk, (r) => r.singleUs.median),
      p99Us: low(sdk, (r) => r.singleUs.p99),
      batchMeanUs: low(sdk, (r) => r.batchUs.mean),
      mainThreadUsPerEvent: low(sdk, (r) => r.mainThread.taskUsPerEvent),
      heapKiB: low(sdk, (r) => Math.round(r.heapAfterInitBytes / 1024)),
      readyMs: low(sdk, (r) => Math.round(r.readyAtMs)),
      timed: low(sdk, (r) => r.singleUs.count),
      batchesTimed: low(sdk, (r) => r.batchUs.count),
    });
  }
  const keys = ['bytes', 'gzipBytes', 'medianUs', 'p99Us', 'batchMeanUs', 'mainThreadUsPerEvent'];
  const ratios = {};
  for (const peer of PEERS.map((p) => p.id)) {
    ratios[peer] = {};
    for (const k of keys) {
      const a = figures[peer]?.[k];
      const b = figures.spoor?.[k];
      ratios[peer][k] = a == null || !b ? null : Math.round((a / b) * 100) / 100;
    }
  }
  const lowest = (k) =>
    figures.spoor?.[k] != null &&
    PEERS.every((p) => figures[p.id]?.[k] == null || figures.spoor[k] < figures[p.id][k]);
  return {
    figures,
    ratios,
    targets: {
      smallestBundle: lowest('gzipBytes'),
      lowestPerCall: lowest('batchMeanUs') && lowest('medianUs'),
    },
  };
}

/** The table printed at the end: the three SDKs, peer / Spoor, and the targets. */
export function formatWebTable(results) {
  const { figures: f, ratios, targets } = results.summary;
  const ids = SDKS.map((s) => s.id);
  const verdict = (met) => (met ? 'met' : 'MISSED');
  const cell = (sdk, k, fmt = String) => (f[sdk]?.[k] == null ? 'n/a' : fmt(f[sdk][k]));
  const ratio = (k) =>
    PEERS.map((p) => (ratios[p.id][k] == null ? 'n/a' : `${ratios[p.id][k].toFixed(2)}×`));
  const rounds = results.settings.rounds > 1 ? `, lower of ${results.settings.rounds}` : '';
  const row = (label, k, fmt, target = '') => [
    label,
    ...ids.map((sdk) => cell(sdk, k, fmt)),
    ...ratio(k),
    target,
  ];
  const us = (v) => v.toFixed(2);
  const rows = [
    ['script-tag file', ...ids.map((sdk) => fileOf(results, sdk)), '', '', ''],
    row('bytes, minified', 'bytes', n),
    row('bytes, gzip -9', 'gzipBytes', n, `smallest: ${verdict(targets.smallestBundle)}`),
    [
      `calls timed alone / batches timed (of ${n(results.settings.calls)} / ${results.settings.batches})`,
      ...ids.map((sdk) =>
        f[sdk]?.timed == null ? 'n/a' : `${n(f[sdk].timed)} / ${f[sdk].batchesTimed}`,
      ),
      '',
      '',
      '',
    ],
    row(`track(): median µs, single call${rounds}`, 'medianUs', us),
    row(`track(): p99 µs, single call${rounds}`, 'p99Us', us),
    row(
      `track(): mean µs per call, batches of 100${rounds}`,
      'batchMeanUs',
      us,
      `lowest: ${verdict(targets.lowestPerCall)}`,
    ),
    row(`main thread µs per event, deferred work incl.${rounds}`, 'mainThreadUsPerEvent', us),
    [
      'JS heap after init, KiB over a blank page',
      ...ids.map((s) => cell(s, 'heapKiB', n)),
      '',
      '',
      '',
    ],
    ['ready, ms after navigation', ...ids.map((s) => cell(s, 'readyMs', n)), '', '', ''],
  ];
  const head = [
    'measure',
    ...SDKS.map((s) => s.name),
    ...PEERS.map((p) => `${p.id} / spoor`),
    'target',
  ];
  const w = head.map((_, i) => Math.max(...[head, ...rows].map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(w[i])).join(' | ')} |`;
  return [line(head), `|${w.map((x) => '-'.repeat(x + 2)).join('|')}|`, ...rows.map(line)].join(
    '\n',
  );
}

function fileOf(results, sdk) {
  const b = results.bundles.find((x) => x.sdk === sdk);
  return b ? `${b.file.split('/').pop()} ${b.version}` : 'n/a';
}
