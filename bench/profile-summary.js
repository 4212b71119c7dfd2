// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by package.
// Used by run.js with BENCH_PROFILE=1; also a CLI: node bench/profile-summary.js FILE [TOP].
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Returns printable lines: where the profiled thread spent its samples. */
export function summarizeProfile(file, top = 20) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  const deltas = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0));
  });
  const functions = new Map();
  const packages = new Map();
  const lines = new Map();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const { callFrame: f } = byId.get(id);
    if (f.functionName === '(idle)') {
      idle += us;
      continue;
    }
    total += us;
    const where = f.url ? `${shortUrl(f.url)}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
    functions.set(key, (functions.get(key) ?? 0) + us);
    // Line ticks show which statement of a function the self time belongs to (inlined
    // builtins such as JSON.stringify are charged to the line that calls them).
    const node = byId.get(id);
    const ticks = (node.positionTicks ?? []).reduce((n, t) => n + t.ticks, 0);
    for (const t of node.positionTicks ?? []) {
      const line = `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}:${t.line}`;
      lines.set(line, (lines.get(line) ?? 0) + (us * t.ticks) / ticks);
    }
    const pkg = packageOf(f);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
  const rank = (map, n) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `  ${pct(us)}  ${k}`);
  return [
    `${file}: ${(total / 1e6).toFixed(1)} s busy, ${(idle / 1e6).toFixed(1)} s idle`,
    ' self time by package:',
    ...rank(packages, 12),
    ` self time by function (top ${top}):`,
    ...rank(functions, top),
    ' self time by source line (top 15):',
    ...rank(lines, 15),
  ];
}

function shortUrl(url) {
  const nm = url.lastIndexOf('node_modules/');
  if (nm !== -1) return url.slice(nm + 'node_modules/'.length);
  const work = url.indexOf('/main/');
  return work !== -1 ? url.slice(work + '/main/'.length) : url;
}

function packageOf(f) {
  if (!f.url) return f.functionName.startsWith('(') ? f.functionName : '(native)';
  if (f.url.startsWith('node:')) return 'node core';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(f.url);
  if (nm) return nm[1];
  const m = /\/(collector|schemas|bench)\//.exec(f.url);
  return m ? `@spoor/${m[1]}` : f.url;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, top] = process.argv.slice(2);
  if (!file) throw new Error('usage: node bench/profile-summary.js FILE.cpuprofile [TOP]');
  console.log(summarizeProfile(file, Number(top ?? 20)).join('\n'));
}
