import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readProject, startMiniProgram } from './index.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (path → text) into a new temporary directory; returns it. */
function write(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'spoor-mp-project-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** A package as `npm install` leaves it in node_modules: a mini-program one builds from dist/. */
const pkg = write({
  'package.json': JSON.stringify({ name: 'mp-lib', main: 'src/index.js', miniprogram: 'dist' }),
  'dist/index.js': `var extra = require('./extra'); module.exports = { name: 'built', extra: extra };`,
  'dist/extra.js': `module.exports = 'extra';`,
  'src/index.js': `module.exports = { name: 'source' };`,
});

const project = write({
  'package.json': JSON.stringify({ dependencies: { 'mp-lib': 'file:../mp-lib' } }),
  // A bare path without npm, and a leading slash, both resolve from app.js's directory.
  'app.js': `appRequires = { bare: require('utils/format.js'), slash: require('/utils/format') };
    App({ util: require('./utils/format') });`,
  'utils/format.js': `exports.count = (exports.count || 0) + 1; exports.kind = 'format';`,
  'pages/a/a.js': `var lib = require('mp-lib'); var extra = require('mp-lib/extra');
    Page({ data: { lib: lib.name, extra: extra, kind: require('../../utils/format').kind,
      helper: require('./helper').value } });`,
  'pages/a/helper.js': `exports.value = 'helper';`,
  'pages/a/a.wxml': '<view />',
  'pages/b/b.js': `Page({ data: { cycle: require('../../cycle/one').seen },
    go: function () { return 'went'; }, hold: function () {}, unbound: function () {} });`,
  'pages/b/b.wxml': `<view bindtap="go" data-x="1"/><button catch:longpress='hold'>x</button>`,
  'pages/b/b.json': JSON.stringify({ navigationBarTitleText: 'B' }),
  'cycle/one.js': `exports.early = 1; exports.seen = require('./two').seen;`,
  'cycle/two.js': `exports.seen = require('./one').early;`,
  'app.json': JSON.stringify({ pages: ['pages/a/a', 'pages/b/b'], window: { x: 1 } }),
});

describe('require', () => {
  it('resolves relative paths, miniprogram_npm upwards and bare paths as WeChat does', () => {
    const mp = startMiniProgram({ ...readProject(project), npm: { 'mp-lib': pkg } });
    mp.loadApp();
    expect(mp.app?.['util']).toMatchObject({ count: 1, kind: 'format' });
    // One module object, run once, whichever way it was named.
    expect(
      mp.run('[appRequires.bare === getApp().util, appRequires.slash === getApp().util]'),
    ).toEqual([true, true]);
    mp.launch({ path: 'pages/a/a' });
    expect(mp.top?.data).toEqual({
      lib: 'built',
      extra: 'extra',
      kind: 'format',
      helper: 'helper',
    });
    // A require cycle gets the exports made so far, as in CommonJS.
    expect(mp.open('pages/b/b').data).toEqual({ cycle: 1 });
  });

  it('names what it tried when nothing is there, and takes no absolute paths in pages', () => {
    const mp = startMiniProgram({ ...readProject(project), npm: { 'mp-lib': pkg } });
    expect(() => mp.run(`require('fs')`)).toThrow(
      "module 'fs.js' is not defined, require args is 'fs'",
    );
    expect(() => mp.definePage('pages/a/a', `require('/utils/format'); Page({});`)).toThrow(
      "module 'pages/a/utils/format.js' is not defined, require args is '/utils/format'",
    );
    expect(() => mp.require('../outside.js')).toThrow(/is not defined/);
  });

  it('lets a test replace a file of the project, and checks what Build npm would build', () => {
    const mp = startMiniProgram({
      root: project,
      modules: { 'utils/format.js': { exports: { kind: 'stub' } }, 'x.js': 'exports.y = 2;' },
    });
    expect(mp.require('utils/format')).toEqual({ kind: 'stub' });
    expect(mp.run(`require('./x').y`)).toBe(2);
    expect(() => startMiniProgram({ root: project, npm: { other: pkg } })).toThrow(
      /other is not in the dependencies/,
    );
    // A package without a miniprogram build is bundled from `main` by Build npm.
    const plain = write({ 'package.json': '{"main":"lib.js"}', 'lib.js': 'exports.plain = 1;' });
    const withPlain = startMiniProgram({ modules: {}, npm: { plain } });
    expect(withPlain.run(`require('plain').plain`)).toBe(1);
  });
});

describe('handlers', () => {
  it('must be bound in the WXML of the page when the harness has it', () => {
    const mp = startMiniProgram({ ...readProject(project), npm: { 'mp-lib': pkg } });
    mp.loadApp();
    mp.launch({ path: 'pages/b/b' });
    expect(mp.tap('go')).toBe('went');
    expect(() => mp.trigger('hold', { type: 'longpress' })).not.toThrow();
    expect(() => mp.tap('unbound')).toThrow('pages/b/b.wxml binds no tap event to unbound');
  });
});

describe('readProject', () => {
  it('reads app.json and the pages, from miniprogramRoot, as DevTools does', () => {
    const dir = write({
      'project.config.json': JSON.stringify({ miniprogramRoot: 'mp/' }),
      'mp/app.json': JSON.stringify({
        pages: ['pages/b/b'],
        window: { navigationBarTitleText: 'T' },
      }),
      'mp/pages/b/b.js': 'Page({})',
      'mp/pages/b/b.wxml': '<view />',
      'mp/pages/b/b.json': '{ "navigationBarTitleText": "B" }',
    });
    expect(readProject(dir)).toEqual({
      root: join(dir, 'mp/'),
      pages: ['pages/b/b'],
      window: { navigationBarTitleText: 'T' },
      pageWindows: { 'pages/b/b': { navigationBarTitleText: 'B' } },
    });
    rmSync(join(dir, 'mp/pages/b/b.wxml'));
    expect(() => readProject(dir)).toThrow(
      'app.json lists pages/b/b, but pages/b/b.wxml does not exist',
    );
  });
});
