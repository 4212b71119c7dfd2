import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MiniProgramOptions } from './types.js';

type Json = Record<string, unknown>;

const readJson = (path: string): Json => {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Json;
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`, { cause: error });
  }
};

/**
 * The `startMiniProgram` options of a project on disk, as WeChat DevTools reads it:
 * project.config.json's `miniprogramRoot` (default: the project directory), app.json's `pages`
 * and `window`, and each page's json (its window settings). Like DevTools, it refuses a page
 * without its .js or .wxml and a `sitemapLocation` that does not exist.
 */
export function readProject(
  dir: string,
): Required<Pick<MiniProgramOptions, 'root' | 'pages' | 'window' | 'pageWindows'>> {
  const config = existsSync(join(dir, 'project.config.json'))
    ? readJson(join(dir, 'project.config.json'))
    : {};
  const root =
    typeof config['miniprogramRoot'] === 'string' ? join(dir, config['miniprogramRoot']) : dir;
  const app = readJson(join(root, 'app.json'));
  const pages = Array.isArray(app['pages']) ? app['pages'].map(String) : [];
  if (pages.length === 0) throw new Error(`${join(root, 'app.json')} lists no pages`);
  const sitemap = app['sitemapLocation'];
  if (typeof sitemap === 'string' && !existsSync(join(root, sitemap))) {
    throw new Error(`app.json: sitemapLocation ${sitemap} does not exist`);
  }
  const pageWindows: NonNullable<MiniProgramOptions['pageWindows']> = {};
  for (const route of pages) {
    for (const ext of ['js', 'wxml']) {
      if (!existsSync(join(root, `${route}.${ext}`))) {
        throw new Error(`app.json lists ${route}, but ${route}.${ext} does not exist`);
      }
    }
    const json = join(root, `${route}.json`);
    if (existsSync(json)) pageWindows[route] = readJson(json);
  }
  const window = (
    typeof app['window'] === 'object' && app['window'] !== null ? app['window'] : {}
  ) as Json;
  return { root, pages, window, pageWindows };
}

/**
 * The handlers a page's WXML binds, as `<event> <method>`: `bindtap="onBuy"`, `catchtap=…`,
 * `bind:tap=…`, `capture-bind:tap=…`, `mut-bind:tap=…`; undefined when `root` has no WXML for
 * the route. Handlers named by an expression (`bindtap="{{name}}"`) are not resolved.
 */
export function wxmlBindings(root: string | undefined, route: string): Set<string> | undefined {
  const file = root === undefined ? undefined : join(root, `${route}.wxml`);
  if (file === undefined || !existsSync(file)) return undefined;
  const pattern = /\b(?:capture-|mut-)?(?:bind|catch):?([a-z]+)\s*=\s*(["'])\s*([\w$]+)\s*\2/g;
  const bound = new Set<string>();
  for (const [, event, , method] of readFileSync(file, 'utf8').matchAll(pattern)) {
    bound.add(`${event} ${method}`);
  }
  return bound;
}
