import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, release, totalmem } from 'node:os';

/** The targets from the foundation issue, for a 2-core machine. */
export const TARGETS = {
  eventsPerSec: 30_000,
  ratioOfLimit: 0.5,
  p99At70Ms: 50,
};

/** What the figures were measured on; the load average shows how busy the machine was. */
export function describeMachine() {
  let nproc;
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    nproc = availableParallelism();
  }
  let cpu = 'unknown';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // not Linux: keep 'unknown'
  }
  return {
    nproc,
    cpu,
    node: process.version,
    kernel: release(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

/** Adds the pass/fail verdicts to the measured figures. */
export function evaluate(r) {
  const limit = Math.min(r.limitHttp.eventsPerSec, r.limitSqlite.eventsPerSec);
  const rate = r.collector.max.eventsPerSec;
  const p99 = r.collector.at70.paced.latencyMs.p99;
  return {
    limit,
    limitBy: limit === r.limitHttp.eventsPerSec ? 'HTTP + JSON.parse' : 'SQLite insert',
    ratio: rate / limit,
    targets: {
      eventsPerSec: {
        target: TARGETS.eventsPerSec,
        value: rate,
        pass: rate >= TARGETS.eventsPerSec,
      },
      ratioOfLimit: {
        target: TARGETS.ratioOfLimit,
        value: rate / limit,
        pass: rate / limit >= TARGETS.ratioOfLimit,
      },
      p99At70Ms: { target: TARGETS.p99At70Ms, value: p99, pass: p99 !== null && p99 < 50 },
    },
  };
}

const n = (v) => Math.round(v).toLocaleString('en-US');
const ms = (v) => (v === null || v === undefined ? 'n/a' : `${v} ms`);
const verdict = (pass) => (pass ? 'PASS' : 'FAIL');

/** The table printed at the end of `pnpm bench`. */
export function formatTable(r, e) {
  const c = r.collector;
  const t = e.targets;
  const rows = [
    ['limit A: bare Fastify + JSON.parse', `${n(r.limitHttp.eventsPerSec)} events/s`, ''],
    ['limit B: raw better-sqlite3 insert', `${n(r.limitSqlite.eventsPerSec)} events/s`, ''],
    [
      `  B in commits of ${r.limitSqlite.grouped.rowsPerCommit} rows`,
      `${n(r.limitSqlite.grouped.eventsPerSec)} events/s`,
      'reference only',
    ],
    [`limit = min(A, B) (${e.limitBy})`, `${n(e.limit)} events/s`, ''],
    [
      `collector, max rate (${c.connections} connections)`,
      `${n(c.max.eventsPerSec)} events/s`,
      `${verdict(t.eventsPerSec.pass)} (target ≥ ${n(TARGETS.eventsPerSec)})`,
    ],
    [
      'ratio collector / limit',
      e.ratio.toFixed(2),
      `${verdict(t.ratioOfLimit.pass)} (target ≥ ${TARGETS.ratioOfLimit})`,
    ],
    ['p50 / p99 at max rate', `${ms(c.max.latencyMs.p50)} / ${ms(c.max.latencyMs.p99)}`, ''],
    [
      '  CPU at max: event loop / worker threads',
      `${c.max.collector.cores.main} / ${c.max.collector.cores.store} cores`,
      `${c.max.collector.rowsPerCommit} rows per commit`,
    ],
    [
      `p50 / p99 at 70 % (paced, ${n(c.at70.rate)} req/s)`,
      `${ms(c.at70.paced.latencyMs.p50)} / ${ms(c.at70.paced.latencyMs.p99)}`,
      `${verdict(t.p99At70Ms.pass)} (target p99 < ${TARGETS.p99At70Ms} ms)`,
    ],
    [
      'p50 / p99 at 70 % (autocannon overallRate)',
      `${ms(c.at70.autocannon.latencyMs.p50)} / ${ms(c.at70.autocannon.latencyMs.p99)}`,
      'per-second bursts; for reference',
    ],
    [
      'stored = acknowledged × 100',
      `${n(r.verification.stored)} = ${n(r.verification.serverAckedEvents)}`,
      verdict(r.verification.ok),
    ],
    [
      'non-2xx / errors at max rate',
      `${c.max.non2xx} / ${c.max.errors}`,
      verdict(c.max.non2xx + c.max.errors === 0),
    ],
  ];
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i].length)));
  const line = (row) => `| ${row.map((cell, i) => cell.padEnd(w[i])).join(' | ')} |`;
  return [
    line(['measure', 'value', 'verdict']),
    `|${w.map((x) => '-'.repeat(x + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}
