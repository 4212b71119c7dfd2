// Builds @spoor/miniprogram: one CommonJS file in ES2015 with everything inlined, as WeChat's
// "build npm" wants it (package.json `miniprogram: "miniprogram_dist"`, a folder it copies
// whole, so the declarations live apart: `tsc -p tsconfig.build.json` writes dist/types/).
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const dir of ['miniprogram_dist', 'dist'])
  rmSync(join(root, dir), { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: ['src/index.ts'],
  outfile: join(root, 'miniprogram_dist/index.js'),
  bundle: true,
  minify: true,
  format: 'cjs',
  platform: 'neutral',
  // WeChat's own npm build transpiles nothing: what ships must already run on the oldest
  // JavaScriptCore a supported WeChat uses.
  target: 'es2015',
  // Class fields as assignments in the constructor: ES2015 has no field syntax, and esbuild's
  // define-semantics helper costs ~100 bytes gzipped. No field here shadows an accessor.
  tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
  // Private members are `_`-prefixed (STYLE.md): the minifier may shorten them.
  mangleProps: /^_/,
  // @spoor/sdk-core from its sources, as the tests see it: its dist/ may be older than they are.
  conditions: ['spoor-source'],
  legalComments: 'none',
  logLevel: 'warning',
});
