// What a benchmark measured: the commit, uncommitted changes to the packages it loads, and
// whether each build it loads is older than its sources (then the run measured an older build).
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * `packages`: the folders whose uncommitted changes are listed; `builds`: each `{ dist, sources }`
 * (paths from the repository root) checked for staleness.
 */
export function buildState(packages, builds) {
  let commit = null;
  let changed = null;
  try {
    const git = (args) => execFileSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' });
    commit = git(['rev-parse', 'HEAD']).trim();
    changed = git(['status', '--porcelain', '--', ...packages])
      .split('\n')
      .filter(Boolean);
  } catch {
    // not a git checkout: leave both unknown
  }
  const warnings = [];
  for (const { dist, sources } of builds) {
    const built = newest(join(ROOT, dist));
    const source = Math.max(...sources.map((d) => newest(join(ROOT, d))));
    if (built === 0) warnings.push(`${dist} is missing: run pnpm build`);
    else if (source > built)
      warnings.push(
        `${sources.join(' or ')} is newer than ${dist}: the run measured the older build`,
      );
  }
  return { commit, sdkSourcesChanged: changed, warnings };
}

/** The latest modification time (ms) of the files below `dir` (tests aside), 0 if none. */
function newest(dir) {
  let latest = 0;
  try {
    for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
      if (e.isFile() && !e.name.includes('.test.'))
        latest = Math.max(latest, statSync(join(e.parentPath, e.name)).mtimeMs);
  } catch {
    // no such directory
  }
  return latest;
}
