// What a mini-program developer ships: the size budget, and syntax an old WeChat can parse.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { parse } from 'acorn';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  miniprogram: string;
  sizeBudgets: Record<string, number>;
};
const bundle = readFileSync(join(root, pkg.main), 'utf8');

describe('the built bundle', () => {
  it('fits the size budget (gzip -9 bytes), autocapture included', () => {
    const bytes = gzipSync(bundle, { level: 9 }).length;
    console.log(`${pkg.main}: ${bytes} B (budget ${pkg.sizeBudgets[pkg.main]})`);
    expect(bytes).toBeLessThanOrEqual(pkg.sizeBudgets[pkg.main]!);
  });

  it('is ES2015 CommonJS, as WeChat\'s "build npm" takes it', () => {
    // acorn refuses syntax newer than the version it is given (?., ??, async, object spread …),
    // regular expressions included (lookbehind, which JavaScriptCore before iOS 16.4 lacks).
    expect(() => parse(bundle, { ecmaVersion: 2015, sourceType: 'script' })).not.toThrow();
    expect(() => parse('/(?<!a)b/', { ecmaVersion: 2015 })).toThrow(/regular expression/);
    expect(bundle).toMatch(/module\.exports/);
    // WeChat copies the `miniprogram` folder whole: the bundle, nothing else.
    expect(pkg.main).toBe(`${pkg.miniprogram}/index.js`);
    expect(readdirSync(join(root, pkg.miniprogram))).toEqual(['index.js']);
  });
});
