// The engine benchmark's targets (issue 7), verdicts and printed table.

/** The targets from the tag and segment engine issue. */
export const ENGINE_TARGETS = {
  /** Per-event evaluation cost, p99, with 100 segments and 100 tags active. */
  p99Us: 1000,
  /** Ingest with the engine at least this share of the rate without it. */
  minIngestRatio: 0.7,
  /** A backfill of 1,000,000 profiles × 10 segments, seconds. */
  backfillSeconds: 60,
};

/** Verdicts for whichever parts ran. */
export function engineVerdicts(r) {
  const out = {};
  if (r.evaluation) {
    const p99 = r.evaluation.sinkNow.p99;
    out.perEvent = { target: ENGINE_TARGETS.p99Us, value: p99, met: p99 < ENGINE_TARGETS.p99Us };
  }
  const rate = (mode) => r.ingest?.modes[mode]?.processedPerSec;
  if (rate('on') !== undefined && rate('empty') !== undefined) {
    const ratio = rate('on') / rate('empty');
    out.ingest = {
      target: ENGINE_TARGETS.minIngestRatio,
      value: round(ratio),
      met: ratio >= ENGINE_TARGETS.minIngestRatio,
      // Against a collector whose engine sink does nothing at all (see engine-ingest.js).
      vsStub: rate('stub') === undefined ? null : round(rate('on') / rate('stub')),
      emptyVsStub: rate('stub') === undefined ? null : round(rate('empty') / rate('stub')),
    };
  }
  if (r.backfill) {
    const s = r.backfill.secondsPerMillion;
    out.backfill = {
      target: ENGINE_TARGETS.backfillSeconds,
      value: s,
      met: s !== null && s < ENGINE_TARGETS.backfillSeconds,
    };
  }
  return out;
}

const n = (v) => (v === null || v === undefined ? 'n/a' : Math.round(v).toLocaleString('en-US'));
const us = (p) => `${n(p.p50)} / ${n(p.p99)} µs`;
const verdict = (v) => (v.met ? 'met' : 'NOT MET');

/** The table printed at the end of the engine benchmark. */
export function formatEngineTable(r, v) {
  const rows = [];
  const e = r.evaluation;
  if (e) {
    const s = e.steps;
    rows.push(
      [
        'per event, the sink now: p50 / p99',
        us(e.sinkNow),
        `${verdict(v.perEvent)} (p99 < ${n(ENGINE_TARGETS.p99Us)} µs)`,
      ],
      [
        '  the same, events a GC pause hit left out',
        us(e.gc.sinkNowWithoutHit),
        `${n(e.gc.eventsHit)} events hit, ${n(e.gc.pausedMs)} ms of pauses`,
      ],
      ['  the same with evaluate(only affected)', us(e.sinkOnly), 'what the engine offers'],
      ['  applyEvent + evaluate(all) alone', us(e.engineOnly), 'the engine core'],
      ['  decode payload (engineEvent)', us(s.decode), ''],
      ['  JSON.parse state, results, traits', us(s.parse), ''],
      ['  applyEvent', us(s.apply), ''],
      ['  evaluate, all 200 definitions', us(s.full), ''],
      ['  evaluate, only affected', us(s.only), `${n(e.evaluatedWithOnly.p50)} definitions (p50)`],
      ['  diff, closedOut, change details', us(s.diff), ''],
      ['  JSON.stringify state and results', us(s.stringify), ''],
      ['  stored state, bytes p50 / p99', `${n(e.stateBytes.p50)} / ${n(e.stateBytes.p99)} B`, ''],
    );
  }
  for (const [mode, m] of Object.entries(r.ingest?.modes ?? {})) {
    rows.push([
      `ingest, engine ${mode}: committed + processed`,
      `${n(m.processedPerSec)} events/s`,
      `runs ${m.runs.map(n).join(', ')}; committed ${n(m.committedPerSec)}/s`,
    ]);
  }
  if (v.ingest) {
    rows.push([
      'ratio engine on / empty',
      v.ingest.value.toFixed(2),
      `${verdict(v.ingest)} (≥ ${ENGINE_TARGETS.minIngestRatio})`,
    ]);
    if (v.ingest.vsStub !== null)
      rows.push(
        ['ratio engine on / stub (no engine)', v.ingest.vsStub.toFixed(2), 'reference'],
        ['ratio engine empty / stub', v.ingest.emptyVsStub.toFixed(2), 'the idle engine'],
      );
  }
  const b = r.backfill;
  if (b) {
    rows.push(
      [
        `backfill, ${n(b.profiles)} profiles × ${b.segments} segments`,
        b.finished ? `${b.seconds} s` : 'not finished',
        `${n(b.profilesPerSec)} profiles/s; ${n(b.events)} events`,
      ],
      [
        '  per 1,000,000 profiles (linear)',
        b.secondsPerMillion === null ? 'n/a' : `${n(b.secondsPerMillion)} s`,
        `${verdict(v.backfill)} (< ${ENGINE_TARGETS.backfillSeconds} s)`,
      ],
    );
  }
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i].length), 7));
  const line = (row) => `| ${row.map((cell, i) => cell.padEnd(w[i])).join(' | ')} |`;
  return [
    line(['measure', 'value', 'verdict']),
    `|${w.map((x) => '-'.repeat(x + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

/** One line per target that was measured. */
export function verdictLines(r, v) {
  const lines = [];
  if (v.perEvent)
    lines.push(
      `target 1, p99 under 1 ms per event: ${verdict(v.perEvent)} — p99 ${n(v.perEvent.value)} µs as the sink runs now (${n(r.evaluation.sinkOnly.p99)} µs with evaluate(only))`,
    );
  if (v.ingest)
    lines.push(
      `target 2, ingest with the engine ≥ 70 % of without: ${verdict(v.ingest)} — ${Math.round(v.ingest.value * 100)} % of the empty engine${v.ingest.vsStub === null ? '' : `, ${Math.round(v.ingest.vsStub * 100)} % of no engine`}`,
    );
  if (v.backfill)
    lines.push(
      `target 3, backfill of 1,000,000 profiles × 10 segments under 60 s: ${verdict(v.backfill)} — ${n(v.backfill.value)} s extrapolated from ${n(r.backfill.profiles)} profiles`,
    );
  return lines;
}

const round = (x) => Math.round(x * 100) / 100;
