/** The targets from the ONE ID issue. */
export const IDENTITY_TARGETS = {
  /** Identity may cost at most this share of the ingest rate. */
  maxCost: 0.3,
  /**
   * The per-event cost at the largest size over the smallest: "does not grow". It is the
   * difference of two noisy rates, so only a clear rise counts as growth.
   */
  maxGrowth: 1.5,
};

const mean = (xs) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
const round = (n, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The figures of one store size, from its on and off runs. */
export function summarizeSize(profiles, seed, runs) {
  const side = (mode) => {
    const own = runs.filter((r) => r.mode === mode);
    const rates = own.map((r) => r.eventsPerSec);
    const per = (k) => round(mean(own.map((r) => r.window[k])));
    return {
      eventsPerSec: Math.round(mean(rates)),
      runs: rates.map(Math.round),
      // Spread of the runs around their mean: how much to trust a difference between modes.
      spread: round((Math.max(...rates) - Math.min(...rates)) / mean(rates), 3),
      p50Ms: round(mean(own.map((r) => r.latencyMs.p50))),
      p99Ms: round(mean(own.map((r) => r.latencyMs.p99))),
      cpuUsPerEvent: round(
        mean(own.map((r) => r.window.storeCpuUs + r.window.mainCpuUs + r.window.otherCpuUs)),
      ),
      storeCpuUsPerEvent: per('storeCpuUs'),
      commitBusy: per('commitBusy'),
      diskWrittenBytesPerEvent: Math.round(mean(own.map((r) => r.window.diskWrittenBytes))),
      rowsPerCommit: Math.round(mean(own.map((r) => r.window.rowsPerCommit))),
      merges: own.reduce((n, r) => n + r.window.merges, 0),
      recomputes: own.reduce((n, r) => n + r.window.recomputes, 0),
    };
  };
  const on = side('on');
  const off = side('off');
  const cost = round(1 - on.eventsPerSec / off.eventsPerSec, 3);
  return {
    profiles,
    seed,
    off,
    on,
    cost,
    costMet: cost <= IDENTITY_TARGETS.maxCost,
    /** Wall-clock time identity adds to each event at full load. */
    identityUsPerEvent: round((1 / on.eventsPerSec - 1 / off.eventsPerSec) * 1e6),
    /** CPU time identity adds to each event, all of the collector's threads together. */
    identityCpuUsPerEvent: round(on.cpuUsPerEvent - off.cpuUsPerEvent),
    identityStoreCpuUsPerEvent: round(on.storeCpuUsPerEvent - off.storeCpuUsPerEvent),
    runs,
  };
}

/** Growth of the per-event cost from the smallest to the largest store. */
export function growth(sizes) {
  const sorted = [...sizes].sort((a, b) => a.profiles - b.profiles);
  const first = sorted[0];
  const last = sorted.at(-1);
  if (!first || !last || first === last) return null;
  const ratio = (k) => (first[k] > 0 ? round(last[k] / first[k]) : null);
  const wall = ratio('identityUsPerEvent');
  return {
    from: first.profiles,
    to: last.profiles,
    wall,
    cpu: ratio('identityCpuUsPerEvent'),
    storeCpu: ratio('identityStoreCpuUsPerEvent'),
    // Undefined when identity measured no cost at the smallest size (noise larger than it).
    met: wall === null ? null : wall <= IDENTITY_TARGETS.maxGrowth,
  };
}

/** The summary table (Markdown, so it can go into docs/benchmarks.md as printed). */
export function formatIdentityTable(results) {
  const { sizes, settings } = results;
  const f = (v) => (v === null || Number.isNaN(v) ? 'n/a' : Math.round(v).toLocaleString('en-US'));
  const pct = (v) => `${Math.round(v * 1000) / 10} %`;
  const rows = [
    [
      'profiles',
      'seeded in',
      'identity off',
      'identity on',
      'cost: 1 − on/off',
      'µs/event: 1/on − 1/off',
      'CPU µs/event off → on',
      'storage thread µs/event off → on',
      'p99 off / on',
      'merges / recomputes',
    ],
    ...sizes.map((s) => [
      f(s.profiles),
      `${s.seed.seconds} s`,
      `${f(s.off.eventsPerSec)} events/s`,
      `${f(s.on.eventsPerSec)} events/s`,
      `**${pct(s.cost)}** (${s.costMet ? 'met' : 'missed'})`,
      `${s.identityUsPerEvent}`,
      `${s.off.cpuUsPerEvent} → ${s.on.cpuUsPerEvent}`,
      `${s.off.storeCpuUsPerEvent} → ${s.on.storeCpuUsPerEvent}`,
      `${s.off.p99Ms} / ${s.on.p99Ms} ms`,
      `${f(s.on.merges)} / ${f(s.on.recomputes)}`,
    ]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r) => `| ${r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  const out = [line(rows[0]), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`];
  for (const r of rows.slice(1)) out.push(line(r));
  out.push('');
  for (const s of sizes) {
    out.push(
      `${f(s.profiles)}: runs off ${s.off.runs.map(f).join(' / ')} (spread ${pct(s.off.spread)}), on ${s.on.runs.map(f).join(' / ')} (spread ${pct(s.on.spread)}) events/s; identity adds ${s.identityCpuUsPerEvent} µs CPU per event (${s.identityStoreCpuUsPerEvent} on the storage thread)`,
    );
  }
  const g = growth(sizes);
  if (g) {
    out.push(
      `per-event cost of identity, ${f(g.to)} over ${f(g.from)} profiles: ${g.wall ?? 'n/a'}× in wall-clock µs/event (target ≤ ${IDENTITY_TARGETS.maxGrowth}×: ${g.met === null ? 'n/a' : g.met ? 'met' : 'missed'}), ${g.cpu ?? 'n/a'}× in CPU µs/event, ${g.storeCpu ?? 'n/a'}× on the storage thread`,
    );
  }
  out.push(
    `target: identity costs at most ${pct(IDENTITY_TARGETS.maxCost)} of the ingest rate at every size. Batches of ${settings.batchSize} events, ${settings.connections} connections, ${settings.durationSeconds} s per run.`,
  );
  return out.join('\n');
}
