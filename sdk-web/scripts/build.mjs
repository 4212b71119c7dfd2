// Builds @spoor/web: the script-tag IIFE (dist/spoor.js), the ESM entry points for bundlers
// (dist/esm/); `tsc -p tsconfig.build.json` then writes the declarations (dist/types/).
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });

const common = {
  absWorkingDir: root,
  bundle: true,
  minify: true,
  // Private members are `_`-prefixed (STYLE.md): the minifier may shorten them. Not as
  // TypeScript parameter properties, whose field declarations esbuild 0.28 leaves unmangled
  // (evanw/esbuild#4528): each instance would carry a stray undefined `_name` besides its own.
  mangleProps: /^_/,
  // The browsers with Web Locks (Chrome/Edge 92+, Firefox 96+, Safari 15.4+) all run ES2022:
  // native class fields and `??=` cost nothing to ship.
  target: 'es2022',
  // Class fields as constructor assignments: smaller once minified. No field shadows an accessor.
  tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
  // @spoor/sdk-core from its sources, as the tests see it: its dist/ may be older than they are.
  conditions: ['spoor-source'],
  legalComments: 'none',
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: ['src/iife.ts'],
  format: 'iife',
  outfile: join(dist, 'spoor.js'),
});

await build({
  ...common,
  entryPoints: {
    index: 'src/index.ts',
    pageviews: 'src/autocapture/pageviews.ts',
    clicks: 'src/autocapture/clicks.ts',
    'page-leave': 'src/autocapture/page-leave.ts',
  },
  format: 'esm',
  splitting: true,
  outdir: join(dist, 'esm'),
});
