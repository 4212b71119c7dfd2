// The summary, verdicts and table of sdk-node.js, and what was built when it ran.
import { buildState as stateOf } from './build-state.js';
import { fmt as n } from './common.js';
import { SDK_NAMES, SDKS } from './sdk-clients.js';

/** What was built when the Node SDK benchmark ran. */
export const buildState = () =>
  stateOf(
    ['sdk-core', 'sdk-node'],
    ['sdk-core', 'sdk-node'].map((p) => ({ dist: `${p}/dist`, sources: [`${p}/src`] })),
  );

/** Per SDK, the run with the highest `key`, among `runs` that pass `keep`. */
function bestBySdk(runs, key, keep = () => true) {
  const best = {};
  for (const r of runs) {
    if (keep(r) && (best[r.sdk] === undefined || r[key] > best[r.sdk][key])) best[r.sdk] = r;
  }
  return best;
}

/** Spoor / Segment ratios and the three targets: faster enqueue, faster delivery, less memory. */
export function summarize({ enqueue, delivery, memory }) {
  const e = bestBySdk(enqueue, 'callsPerSec');
  const d = bestBySdk(delivery, 'eventsPerSec', (r) => r.verification.ok);
  const ratio = (a, b) => (a && b ? Math.round((a / b) * 100) / 100 : null);
  const scenarios = [...new Set(memory.map((r) => r.scenario))];
  const mem = Object.fromEntries(
    scenarios.map((s) => {
      const of = (sdk) => memory.find((r) => r.scenario === s && r.sdk === sdk)?.bytesPerEvent;
      return [
        s,
        { spoor: of('spoor'), segment: of('segment'), ratio: ratio(of('spoor'), of('segment')) },
      ];
    }),
  );
  const enqueueRatio = ratio(e.spoor?.callsPerSec, e.segment?.callsPerSec);
  const deliveryRatio = ratio(d.spoor?.eventsPerSec, d.segment?.eventsPerSec);
  return {
    enqueue: { spoor: pick(e.spoor), segment: pick(e.segment), ratio: enqueueRatio },
    delivery: {
      spoor: pickDelivery(d.spoor),
      segment: pickDelivery(d.segment),
      ratio: deliveryRatio,
    },
    memoryBytesPerEvent: mem,
    targets: {
      fasterEnqueue: enqueueRatio !== null && enqueueRatio > 1,
      fasterDelivery: deliveryRatio !== null && deliveryRatio > 1,
      lessMemoryPerEvent: scenarios.every((s) => mem[s].ratio !== null && mem[s].ratio < 1),
    },
  };
}

const pickDelivery = (r) =>
  r && { eventsPerSec: r.eventsPerSec, calls: r.calls, complete: r.complete, seconds: r.seconds };

const pick = (r) =>
  r && {
    callsPerSec: r.callsPerSec,
    usPerCall: r.usPerCall,
    calls: r.calls,
    complete: r.complete,
    sliceUsPerCall: r.sliceUsPerCall,
  };

/** The table printed at the end: both SDKs, Spoor / Segment, and the targets met or missed. */
export function formatSdkTable(results) {
  const { summary: s, settings } = results;
  const verdict = (met) => (met ? 'met' : 'MISSED');
  const times = (r) => (r === null ? 'n/a' : `${r.toFixed(2)}×`);
  const bySdk = (runs, f) => SDKS.map((sdk) => f(runs.filter((r) => r.sdk === sdk)));
  const made = (bySdkSummary) =>
    SDKS.map((sdk) => {
      const r = bySdkSummary[sdk];
      if (!r) return 'n/a';
      return `${n(r.calls)}${r.complete ? '' : ` (stopped at ${settings.budgetSeconds} s)`}`;
    });
  const slices = (r) =>
    r?.sliceUsPerCall.length > 1 ? `${r.sliceUsPerCall[0]} → ${r.sliceUsPerCall.at(-1)} µs` : 'n/a';
  const e = s.enqueue;
  const rounds = `best of ${settings.rounds}`;
  const rows = [
    [
      `enqueue: track calls/s (${rounds})`,
      e.spoor ? n(e.spoor.callsPerSec) : 'n/a',
      e.segment ? n(e.segment.callsPerSec) : 'n/a',
      times(e.ratio),
      `faster: ${verdict(s.targets.fasterEnqueue)}`,
    ],
    ['  µs per call (same runs)', `${e.spoor?.usPerCall}`, `${e.segment?.usPerCall}`, '', ''],
    ['  calls made of ' + n(settings.enqueueCalls), ...made(e), '', ''],
    [
      '  loop µs per call, first → last 10k calls',
      ...SDKS.map((sdk) => slices(e[sdk])),
      '',
      'flat if O(1)',
    ],
    [
      `delivery: events/s to the collector (${rounds})`,
      s.delivery.spoor ? n(s.delivery.spoor.eventsPerSec) : 'n/a',
      s.delivery.segment ? n(s.delivery.segment.eventsPerSec) : 'n/a',
      times(s.delivery.ratio),
      `faster: ${verdict(s.targets.fasterDelivery)}`,
    ],
    ['  events sent of ' + n(settings.deliveryEvents), ...made(s.delivery), '', ''],
    [
      '  stored = sent, every run',
      ...bySdk(results.delivery, (runs) =>
        runs.every((r) => r.verification.ok) ? `yes (${runs.length} runs)` : 'NO',
      ),
      '',
      '',
    ],
  ];
  for (const [scenario, m] of Object.entries(s.memoryBytesPerEvent)) {
    const runs = results.memory.filter((r) => r.scenario === scenario);
    const queued = (sdk) => runs.find((r) => r.sdk === sdk)?.queued ?? 0;
    rows.push([
      `memory, collector ${scenario}: B per queued event`,
      `${n(m.spoor ?? 0)} (${n(queued('spoor'))} queued)`,
      `${n(m.segment ?? 0)} (${n(queued('segment'))} queued)`,
      times(m.ratio),
      `less: ${verdict(m.ratio !== null && m.ratio < 1)}`,
    ]);
  }
  const head = ['measure', SDK_NAMES.spoor, SDK_NAMES.segment, 'Spoor / Segment', 'target'];
  const w = head.map((_, i) => Math.max(...[head, ...rows].map((row) => row[i].length)));
  const line = (row) => `| ${row.map((cell, i) => cell.padEnd(w[i])).join(' | ')} |`;
  return [line(head), `|${w.map((x) => '-'.repeat(x + 2)).join('|')}|`, ...rows.map(line)].join(
    '\n',
  );
}
