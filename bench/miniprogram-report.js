// The log lines, summary, table and verdicts of miniprogram.js, and what was built when it ran.
import { buildState as stateOf } from './build-state.js';
import { fmt as n } from './common.js';
import { QUOTED, SDKS, SIZE_ONLY } from './miniprogram-sdks.js';

/** The size budget from the issue: the whole SDK, autocapture included, min+gzip. */
export const BUDGET_BYTES = 10_240;

/** What was built: the bundle against the core's and the adapter's sources. */
export const buildState = () =>
  stateOf(
    ['sdk-core', 'sdk-miniprogram'],
    [
      { dist: 'sdk-core/dist', sources: ['sdk-core/src'] },
      { dist: 'sdk-miniprogram/dist', sources: ['sdk-core/src', 'sdk-miniprogram/src'] },
    ],
  );

/** One line about the build: commit, uncommitted changes in the measured packages. */
export function describeBuild(b) {
  const commit = b.commit ? b.commit.slice(0, 7) : 'unknown commit';
  const changed = b.sdkSourcesChanged;
  if (changed === null) return `build: ${commit}`;
  return `build: ${commit}, ${changed.length ? `${changed.length} uncommitted changes in sdk-core / sdk-miniprogram` : 'sdk-core and sdk-miniprogram as committed'}`;
}

const nameOf = (id) => SDKS.find((s) => s.id === id)?.name ?? id;
const us = (v) => (v == null ? 'n/a' : v.toFixed(2));

/** One SDK's round, in two lines. */
export function summarizeRun(r) {
  const c = r.calls;
  const cpu = Object.entries(r.cpu.byChunk)
    .map(
      ([k, v]) =>
        `${v.cpuUsPerEvent} µs at ${k} per task (${v.delivered} delivered, ${v.requests} requests)`,
    )
    .join('; ');
  return [
    `  ${nameOf(r.sdk).padEnd(28)} round ${r.round + 1}: track() median ${us(c.medianUs)} µs, p99 ${us(c.p99Us)} µs, max ${n(c.maxUs)} µs; rounds of calls ${us(c.roundMeanUs.median)} µs per call; ${c.requestsWhileTimed} requests while timed, ${c.queuedAtEnd ?? '?'} queued at the end`,
    `    CPU per event incl. deferred work: ${cpu}`,
    ...[...c.logs, ...r.cpu.logs].slice(0, 5).map((l) => `    console ${l}`),
  ].join('\n');
}

const lowest = (values) => {
  const v = values.filter((x) => x != null);
  return v.length ? Math.min(...v) : null;
};
const ratio = (a, b) => (a == null || !b ? null : Math.round((a / b) * 100) / 100);

/** Per SDK each figure's lowest value over the rounds, Sensors / Spoor, and the targets. */
export function summarize({ bundles, runs, harness, settings }) {
  const figures = {};
  for (const b of bundles) figures[b.sdk] = { bytes: b.bytes, gzipBytes: b.gzipBytes };
  const base = Object.fromEntries(
    settings.cpu.chunks.map((k) => [k, lowest(harness.map((h) => h.byChunk[k].cpuUsPerEvent))]),
  );
  for (const sdk of SDKS.map((s) => s.id)) {
    const mine = runs.filter((r) => r.sdk === sdk);
    if (!mine.length) continue;
    const low = (f) => lowest(mine.map(f));
    const f = (figures[sdk] ??= {});
    Object.assign(f, {
      medianUs: low((r) => r.calls.medianUs),
      p99Us: low((r) => r.calls.p99Us),
      roundMeanUs: low((r) => r.calls.roundMeanUs.median),
      bytesPerEvent: low((r) => r.cpu.byChunk[settings.cpu.chunks[0]].bytesPerEvent),
      delivered: lowest(mine.flatMap((r) => Object.values(r.cpu.byChunk).map((c) => c.delivered))),
    });
    for (const k of settings.cpu.chunks) {
      const gross = low((r) => r.cpu.byChunk[k].cpuUsPerEvent);
      f[`cpu${k}`] = gross == null ? null : Math.round((gross - base[k]) * 100) / 100;
      f[`requests${k}`] = low((r) => r.cpu.byChunk[k].requests);
    }
  }
  const keys = ['bytes', 'gzipBytes', 'medianUs', 'p99Us', 'roundMeanUs', 'bytesPerEvent'];
  keys.push(...settings.cpu.chunks.flatMap((k) => [`cpu${k}`, `requests${k}`]));
  const ratios = Object.fromEntries(
    keys.map((k) => [k, ratio(figures.sensors?.[k], figures.spoor?.[k])]),
  );
  const spoor = figures.spoor ?? {};
  const sensors = figures.sensors ?? {};
  const peers = [
    ...QUOTED,
    ...bundles
      .filter((b) => b.sdk !== 'spoor')
      .map((b) => ({ name: b.name, gzipBytes: b.gzipBytes })),
  ];
  const below = (k) => spoor[k] != null && sensors[k] != null && spoor[k] < sensors[k];
  return {
    figures,
    ratios,
    harnessCpuUsPerEvent: base,
    peers,
    targets: {
      budget: spoor.gzipBytes != null && spoor.gzipBytes <= BUDGET_BYTES,
      smallest: spoor.gzipBytes != null && peers.every((p) => spoor.gzipBytes < p.gzipBytes),
      cheaperCall: below('medianUs') && below('roundMeanUs'),
      cheaperCpu: settings.cpu.chunks.every((k) => below(`cpu${k}`)),
    },
  };
}

const verdict = (met) => (met ? 'met' : 'NOT MET');

/** The table printed at the end: both SDKs, Sensors / Spoor, and the targets. */
export function formatTable(results) {
  const { figures: f, ratios, targets } = results.summary;
  const { settings } = results;
  const cell = (sdk, k, fmt) => (f[sdk]?.[k] == null ? 'n/a' : fmt(f[sdk][k]));
  const times = (k) => (ratios[k] == null ? 'n/a' : `${ratios[k].toFixed(2)}×`);
  const row = (label, k, fmt, target = '') => [
    label,
    cell('spoor', k, fmt),
    cell('sensors', k, fmt),
    times(k),
    target,
  ];
  const low = settings.rounds > 1 ? `, lowest of ${settings.rounds} rounds` : '';
  const v2 = results.bundles.find((b) => b.sdk === 'sensors-v2');
  const spoorGzip = f.spoor?.gzipBytes;
  const [slow, fast] = [...settings.cpu.chunks].sort((a, b) => b - a);
  const rows = [
    ['file', fileOf(results, 'spoor'), fileOf(results, 'sensors'), '', ''],
    row('bytes, minified', 'bytes', n),
    row('bytes, min+gzip -9', 'gzipBytes', n, `≤ ${n(BUDGET_BYTES)}: ${verdict(targets.budget)}`),
    [
      `  ${SIZE_ONLY[0].fileLabel.split('/').slice(-3).join('/')}, gzip -9`,
      '',
      v2 ? n(v2.gzipBytes) : 'n/a',
      v2 && spoorGzip ? `${(v2.gzipBytes / spoorGzip).toFixed(2)}×` : 'n/a',
      '',
    ],
    [
      '  quoted (issue): Umeng 13.6 / Sensors 17.6 / GrowingIO 21.6 KB',
      '',
      '',
      '',
      `smallest: ${verdict(targets.smallest)}`,
    ],
    row(`track(): median µs, one call timed alone${low}`, 'medianUs', us),
    row(`track(): p99 µs, one call timed alone${low}`, 'p99Us', us),
    row(
      `track(): µs per call, rounds of ${settings.calls.roundSize} timed whole (median round)${low}`,
      'roundMeanUs',
      us,
      `lower: ${verdict(targets.cheaperCall)}`,
    ),
    row(`CPU µs per event incl. deferred work, ${slow} per task${low}`, `cpu${slow}`, us),
    row(
      `CPU µs per event incl. deferred work, ${fast} per task${low}`,
      `cpu${fast}`,
      us,
      `lower: ${verdict(targets.cheaperCpu)}`,
    ),
    row(`requests per ${n(settings.cpu.events)} events, ${fast} per task`, `requests${fast}`, n),
    row('bytes on the wire per event (request body)', 'bytesPerEvent', n),
  ];
  const head = ['measure', nameOf('spoor'), nameOf('sensors'), 'Sensors / Spoor', 'target'];
  const w = head.map((_, i) => Math.max(...[head, ...rows].map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(w[i])).join(' | ')} |`;
  return [line(head), `|${w.map((x) => '-'.repeat(x + 2)).join('|')}|`, ...rows.map(line)].join(
    '\n',
  );
}

/** One line per target from the issue. */
export function verdictLines(results) {
  const { figures: f, targets, peers } = results.summary;
  const s = f.spoor ?? {};
  const p = f.sensors ?? {};
  const kb = (b) => `${(b / 1000).toFixed(1)} KB`;
  const cpus = results.settings.cpu.chunks.map(
    (k) => `${us(s[`cpu${k}`])} vs ${us(p[`cpu${k}`])} µs at ${k} per task`,
  );
  return [
    `target: the full SDK ≤ ${n(BUDGET_BYTES)} B min+gzip — ${verdict(targets.budget)} (${n(s.gzipBytes ?? 0)} B)`,
    `target: smaller than ${peers.map((x) => `${x.name} ${kb(x.gzipBytes)}`).join(', ')} — ${verdict(targets.smallest)} (${kb(s.gzipBytes ?? 0)})`,
    `target: track() cheaper than Sensors (median and per-call over rounds) — ${verdict(targets.cheaperCall)} (${us(s.medianUs)} vs ${us(p.medianUs)} µs median, ${us(s.roundMeanUs)} vs ${us(p.roundMeanUs)} µs per call)`,
    `target: CPU per event incl. deferred work cheaper than Sensors — ${verdict(targets.cheaperCpu)} (${cpus.join('; ')})`,
  ];
}

function fileOf(results, sdk) {
  const b = results.bundles.find((x) => x.sdk === sdk);
  return b ? `${b.file.split('/').pop()} ${b.version}` : 'n/a';
}
