// Part 1 of the engine benchmark, in a child process of engine.js (a fresh heap; `--cpu-prof`
// with BENCH_PROFILE=1): the per-event cost of what the collector's engine sink does for one
// event of one profile, with the 100 tags and 100 segments compiled. Per event, each step timed
// apart: decoding the stored payload (the collector's own engineEvent); parsing the stored
// state (twice, as the sink does), results and traits (rendered by the collector's own
// renderTraits); applyEvent; evaluate of everything, as the sink does now; diff and closedOut;
// JSON.stringify of state and results. And evaluate with `only` = the affected definitions, the
// cheaper path the engine offers. Answers the parent with `result`.
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { engineEvent } from '../collector/dist/definitions/engine-events.js';
import { renderTraits } from '../collector/dist/identity/traits.js';
import { applyEvent, compile, diff, emptyState, evaluate } from '../engine/dist/index.js';
import { buildSegments } from './engine-segments.js';
import { buildTags } from './engine-tags.js';
import { callFor, createHistory, storedPayload } from './engine-traffic.js';
import { createDice, personTraits, registers } from './engine-vocabulary.js';

const STEPS = ['decode', 'parse', 'apply', 'full', 'diff', 'stringify', 'only', 'diffOnly'];
/** What the sink's identity check compares (merges : identifiers): none, one. */
const IDENTITY = '0:1';
/** The steps of the engine sink as it runs now. */
const SINK_NOW = ['decode', 'parse', 'apply', 'full', 'diff', 'stringify'];

/** Runs the measurement; resolves with percentiles per step and per path. */
export async function measureEvaluation({
  profiles,
  events,
  warmupEvents,
  days,
  now = Date.now(),
}) {
  const compiled = compileSet();
  // Warm-up on other people and another history, so the JIT has seen every path.
  runStream(compiled, {
    profiles: Math.ceil(profiles / 5),
    events: warmupEvents,
    days,
    now,
    seed: 3,
  });
  // Garbage collections during the measured stream, to tell their pauses from the engine's work.
  const pauses = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push([e.startTime, e.startTime + e.duration]);
  });
  observer.observe({ entryTypes: ['gc'] });
  const { samples, sizes, counts, spans } = runStream(compiled, {
    profiles,
    events,
    days,
    now,
    seed: 11,
  });
  await new Promise((resolve) => setTimeout(resolve, 50)); // GC entries arrive on the event loop
  observer.disconnect();
  const paused = pausedEvents(spans, pauses);
  const at = (step) => percentiles(samples[step]);
  const total = (steps, skip) => {
    const sum = new Float64Array(samples.decode.length);
    for (const s of steps) samples[s].forEach((v, i) => (sum[i] += v));
    return percentiles(skip ? sum.filter((_, i) => !skip[i]) : sum);
  };
  return {
    definitions: {
      tags: compiled.tags.size,
      segments: compiled.segments.size,
      streams: compiled.streams.size,
    },
    steps: Object.fromEntries(STEPS.map((s) => [s, at(s)])),
    // What the sink does now, and with `only` the affected definitions.
    sinkNow: total(SINK_NOW),
    sinkOnly: total(['decode', 'parse', 'apply', 'only', 'diffOnly', 'stringify']),
    engineOnly: total(['apply', 'full']),
    stateBytes: percentiles(Float64Array.from(sizes)),
    evaluatedWithOnly: percentiles(Float64Array.from(counts)),
    // The same with the events a garbage collection ran into left out: how much of the tail
    // is the collector's heap rather than the engine's work.
    gc: {
      pauses: pauses.length,
      pausedMs: round(pauses.reduce((n, [a, b]) => n + b - a, 0)),
      eventsHit: paused.reduce((n, hit) => n + hit, 0),
      sinkNowWithoutHit: total(SINK_NOW, paused),
    },
  };
}

function compileSet() {
  const result = compile(
    { tags: buildTags(), segments: buildSegments() },
    { dayOffsetMinutes: 480 },
  );
  if (!result.ok) throw new Error(`definitions do not compile: ${JSON.stringify(result.errors)}`);
  return result.compiled;
}

/** Feeds a history, event by event, through the sink's steps; returns per-event timings (µs). */
function runStream(compiled, { profiles, events, days, now, seed }) {
  const d = createDice(seed + 1);
  const start = now - days * 86_400_000;
  const history = createHistory({ profiles, events, start, end: now - 60_000, seed });
  // What the store holds per profile: the engine's JSON rows, and the traits as registers.
  const rows = Array.from({ length: profiles }, (_, p) => {
    const traits = personTraits(d, now);
    return {
      state: null,
      results: null,
      plain: traits,
      traits: traitsText(traits, start, `t${p}`),
    };
  });
  const samples = Object.fromEntries(STEPS.map((s) => [s, new Float64Array(history.count)]));
  const counts = new Uint16Array(history.count);
  const spans = new Float64Array(2 * history.count);
  for (let i = 0; i < history.count; i++) {
    const p = history.profile[i];
    const t = history.time[i];
    const row = rows[p];
    const call = callFor(history.kind[i], d, now);
    const stored = {
      seq: i + 1,
      source: 'web',
      receivedAt: t,
      profileId: p + 1,
      payload: storedPayload({
        messageId: `m${i}`,
        time: t,
        receivedAt: t,
        anonymousId: `a${p}`,
        call,
        variant: p,
      }),
    };
    if (call.type === 'identify') {
      // The store merges an identify's traits into the profile before the engine sees it.
      row.plain = { ...row.plain, ...call.traits };
      row.traits = traitsText(row.plain, t, `m${i}`);
    }
    const fullFirst = i % 2 === 0; // alternate which evaluation runs on a warmer cache
    const t0 = performance.now();
    const event = engineEvent(stored);
    const t1 = performance.now();
    // The sink parses the state twice: for its identity check, then to fold events in.
    if (row.state !== null && JSON.parse(row.state).identity !== IDENTITY) throw new Error('stale');
    const kept =
      row.state === null ? { state: emptyState(), seq: 0, imported: {} } : JSON.parse(row.state);
    const traits = renderTraits(JSON.parse(row.traits));
    const before = row.results === null ? {} : JSON.parse(row.results);
    const t2 = performance.now();
    const { state, affected } = applyEvent(compiled, kept.state, event);
    const t3 = performance.now();
    const profile = { traits, imported: kept.imported };
    // The collector evaluates at its clock: the event arrived moments after it happened.
    const at = t + 1500;
    const partial = fullFirst ? null : timeOnly(compiled, state, profile, at, affected, before);
    const t4 = performance.now();
    const after = evaluate(compiled, state, profile, at);
    const t5 = performance.now();
    for (const c of [...diff(before, after), ...closedOut(before, after)])
      JSON.stringify({ from: c.from, to: c.to, version: 1 });
    const t6 = performance.now();
    row.state = JSON.stringify({
      state,
      seq: stored.seq,
      imported: kept.imported,
      identity: IDENTITY,
    });
    row.results = JSON.stringify(after);
    const t7 = performance.now();
    const only = partial ?? timeOnly(compiled, state, profile, at, affected, before);
    samples.decode[i] = (t1 - t0) * 1000;
    samples.parse[i] = (t2 - t1) * 1000;
    samples.apply[i] = (t3 - t2) * 1000;
    samples.full[i] = (t5 - t4) * 1000;
    samples.diff[i] = (t6 - t5) * 1000;
    samples.stringify[i] = (t7 - t6) * 1000;
    samples.only[i] = only.evaluate;
    samples.diffOnly[i] = only.diff;
    counts[i] = only.evaluated;
    spans[2 * i] = t0;
    spans[2 * i + 1] = t7;
  }
  return {
    samples,
    counts,
    spans,
    sizes: rows.filter((r) => r.state !== null).map((r) => r.state.length),
  };
}

const traitsText = (traits, t, m) => JSON.stringify(registers(traits, t, m));

/** As engine-sink.ts's closedOut: exits and unknowns of definitions deleted since `before`. */
function closedOut(before, after) {
  const gone = [];
  for (const [key, was] of Object.entries(before.segments ?? {}))
    if (was === true && !(key in (after.segments ?? {})))
      gone.push({ key, from: true, to: 'unknown' });
  for (const [key, was] of Object.entries(before.tags ?? {}))
    if (was !== null && !(key in (after.tags ?? {}))) gone.push({ key, from: was, to: null });
  return gone;
}

/** evaluate(…, only) and its diff: their times (µs) and how many definitions it evaluated. */
function timeOnly(compiled, state, profile, at, affected, before) {
  const t0 = performance.now();
  const part = evaluate(compiled, state, profile, at, affected);
  const t1 = performance.now();
  diff(before, part);
  const t2 = performance.now();
  return {
    evaluate: (t1 - t0) * 1000,
    diff: (t2 - t1) * 1000,
    evaluated: Object.keys(part.tags).length + Object.keys(part.segments).length,
  };
}

/**
 * Per event (1 or 0): whether a GC pause overlapped its timed steps (on odd events, or the
 * evaluate(only) timed between them). Both lists ascend.
 */
function pausedEvents(spans, pauses) {
  const hit = new Uint8Array(spans.length / 2);
  let j = 0;
  for (let i = 0; i < hit.length; i++) {
    const [start, end] = [spans[2 * i], spans[2 * i + 1]];
    while (j < pauses.length && pauses[j][1] < start) j++;
    if (j < pauses.length && pauses[j][0] <= end) hit[i] = 1;
  }
  return hit;
}

/** p50, p90, p99, max and mean of a sample (µs). */
function percentiles(values) {
  const sorted = Float64Array.from(values).sort();
  const q = (p) => round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN);
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return {
    p50: q(0.5),
    p90: q(0.9),
    p99: q(0.99),
    max: round(sorted.at(-1) ?? NaN),
    mean: round(mean),
  };
}

const round = (n) => Math.round(n * 10) / 10;

if (process.send) {
  const settings = JSON.parse(process.argv[2] ?? '{}');
  const result = await measureEvaluation(settings);
  process.send({ type: 'result', ...result }, () => process.disconnect());
}
