import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, posix } from 'node:path';

/** Where `require` finds the mini-program's modules; paths are from the mini-program root. */
export interface ModuleOptions {
  /** The mini-program root on disk (miniprogramRoot): `<root>/<path>` is read when required. */
  root?: string;
  /**
   * Modules by path from the root (`config.js`): source text, run as a module, or ready-made
   * `{ exports }`. They win over `npm` and `root`: a test swaps one file of a real project.
   */
  modules?: Record<string, string | { exports: unknown }>;
  /**
   * What "Tools → Build npm" puts into `miniprogram_npm/`: package name → the installed
   * package's directory. A mini-program package (a `miniprogram` field, or a
   * `miniprogram_dist/` directory) has that directory copied; any other package has its `main`
   * bundled into `index.js`, which the harness cannot do, so it stands in with `main` as is.
   */
  npm?: Record<string, string>;
}

/** A CommonJS module object, made in the mini-program's realm. */
export interface ModuleRecord {
  exports: unknown;
}

/** What the module system needs from the runtime. */
export interface ModuleHost {
  /** Runs `code` wrapped as WeChat's `define()` does, with a `require` resolving from `path`. */
  evaluate(code: string, path: string, module: ModuleRecord): void;
  newModule(): ModuleRecord;
  error(message: string): Error;
}

/** `require` as WeChat's loader resolves it, over {@link ModuleOptions}; each module runs once. */
export interface ModuleSystem {
  /** What `require(request)` in the module at `from` (a path, '' for the root) returns. */
  require(from: string, request: unknown): unknown;
  /** Whether there is a module at `path` (from the root). */
  has(path: string): boolean;
}

const MINIPROGRAM_NPM = 'miniprogram_npm/';

/** `a/./b/../c` → `a/c`; null when it climbs out of the root. */
function normalize(path: string): string | null {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') parts.push(part);
    else if (parts.pop() === undefined) return null;
  }
  return parts.join('/');
}

const withJs = (path: string) => (path.endsWith('.js') ? path : `${path}.js`);

const isFile = (path: string) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** The directory holding `from` ('' for the root), for relative requests. */
function directoryOf(from: string): string {
  const dir = posix.dirname(from);
  return dir === '.' || dir === '/' ? '' : dir;
}

/**
 * Where WeChat looks for `request` made in `dir`, in order. `./x` and `../x` are relative to
 * the module (`.js` may be left out). A bare name is an npm package: `miniprogram_npm/<name>`
 * in the module's directory, then in each parent up to the root (`<name>.js`, then
 * `<name>/index.js`); failing that, it is taken as a path relative to the module, as base
 * libraries before npm support did (`require('util.js')`). A leading `/` is not the root
 * (WeChat supports no absolute paths without `resolveAlias`): it is dropped, which is why
 * `require('/utils/x')` works in app.js and nowhere else.
 */
function candidates(dir: string, request: string): string[] {
  const relative = normalize(posix.join(dir, request));
  const own = relative === null ? [] : [withJs(relative)];
  if (request.startsWith('./') || request.startsWith('../') || request.startsWith('/')) return own;
  const npm: string[] = [];
  for (let at: string | null = dir; at !== null; at = at === '' ? null : directoryOf(at)) {
    const base = `${at === '' ? '' : `${at}/`}${MINIPROGRAM_NPM}${request}`;
    npm.push(withJs(base), `${base}/index.js`);
  }
  return [...npm, ...own];
}

/** Reads a package's manifest; `{}` when it has none. */
function manifest(dir: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** The file on disk that Build npm would have put at `miniprogram_npm/<rest>`, if any. */
function builtNpmFile(npm: Record<string, string>, rest: string): string | undefined {
  const name = Object.keys(npm).find((n) => rest.startsWith(`${n}/`));
  if (name === undefined) return undefined;
  const dir = npm[name] as string;
  const file = rest.slice(name.length + 1);
  const pkg = manifest(dir);
  const given = typeof pkg['miniprogram'] === 'string' ? pkg['miniprogram'] : undefined;
  const dist = join(dir, given ?? 'miniprogram_dist');
  if (given !== undefined || isFile(join(dist, 'index.js'))) return join(dist, file);
  if (file !== 'index.js') return undefined;
  return join(dir, typeof pkg['main'] === 'string' ? pkg['main'] : 'index.js');
}

/** Build npm builds a project's `dependencies` only: anything else never reaches the phone. */
function checkDependencies(root: string | undefined, npm: Record<string, string>): void {
  if (root === undefined || !isFile(join(root, 'package.json'))) return;
  const dependencies = manifest(root)['dependencies'] as Record<string, unknown> | undefined;
  for (const name of Object.keys(npm)) {
    if (!dependencies || !(name in dependencies)) {
      throw new Error(
        `npm: ${name} is not in the dependencies of ${join(root, 'package.json')}, so Build npm would not build it`,
      );
    }
  }
}

/** Creates the module system of one mini-program. */
export function createModules(options: ModuleOptions, host: ModuleHost): ModuleSystem {
  const { root, modules = {}, npm = {} } = options;
  checkDependencies(root, npm);
  const cache = new Map<string, ModuleRecord>();

  /** The module at `path`: given, built from npm, or on disk. */
  const source = (path: string): string | { exports: unknown } | undefined => {
    const given = modules[path];
    if (given !== undefined) return given;
    const built = path.startsWith(MINIPROGRAM_NPM)
      ? builtNpmFile(npm, path.slice(MINIPROGRAM_NPM.length))
      : undefined;
    const file = built ?? (root === undefined ? undefined : join(root, path));
    return file !== undefined && isFile(file) ? readFileSync(file, 'utf8') : undefined;
  };
  const has = (path: string) => cache.has(path) || source(path) !== undefined;

  const load = (path: string, found: string | { exports: unknown }): unknown => {
    const module = host.newModule();
    if (typeof found !== 'string') {
      module.exports = found.exports;
      cache.set(path, module);
      return module.exports;
    }
    // In the cache before it runs: a require cycle gets the exports made so far, as in CommonJS.
    cache.set(path, module);
    try {
      host.evaluate(found, path, module);
    } catch (error) {
      cache.delete(path);
      throw error;
    }
    return module.exports;
  };

  return {
    has,
    require(from, request) {
      const text = String(request);
      const dir = isAbsolute(from) ? '' : directoryOf(from);
      const paths = typeof request === 'string' && request !== '' ? candidates(dir, request) : [];
      for (const path of paths) {
        const cached = cache.get(path);
        if (cached) return cached.exports;
        const found = source(path);
        if (found !== undefined) return load(path, found);
      }
      // WeChat names the path it tried last: the one relative to the requiring module.
      const tried = paths[paths.length - 1] ?? text;
      throw host.error(`module '${tried}' is not defined, require args is '${text}'`);
    },
  };
}
