// Size budgets of what users load, measured on the built files (`pnpm test` builds first).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const budgets = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    sizeBudgets: Record<string, number>;
  }
).sizeBudgets;
const gzipped = (code: string | Buffer) => gzipSync(code, { level: 9 }).length;

/** What an app's bundler makes of `import { … } from '@spoor/web…'`, minified. */
async function bundle(source: string): Promise<string> {
  const result = await build({
    stdin: { contents: source, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    absWorkingDir: root,
    logLevel: 'silent',
    // The published files, not the sources.
    alias: { '@spoor/web': join(root, 'dist/esm/index.js') },
  });
  return result.outputFiles[0]!.text;
}

describe('size budgets (bytes of gzip -9)', () => {
  it('the script-tag bundle with page-view, click and page-leave autocapture', () => {
    const bytes = gzipped(readFileSync(join(root, 'dist/spoor.js')));
    console.log(`dist/spoor.js: ${bytes} B (budget ${budgets['dist/spoor.js']})`);
    expect(bytes).toBeLessThanOrEqual(budgets['dist/spoor.js']!);
  });

  it('the ESM core import, without the autocapture entry points it did not import', async () => {
    const code = await bundle(`import { createSpoor } from '@spoor/web'; window.s = createSpoor;`);
    const bytes = gzipped(code);
    console.log(`import { createSpoor }: ${bytes} B (budget ${budgets['import { createSpoor }']})`);
    expect(bytes).toBeLessThanOrEqual(budgets['import { createSpoor }']!);
    expect(code).not.toContain('$WebClick');
    expect(code).not.toContain('$WebPageLeave');
  });

  it('an autocapture entry point adds only itself', async () => {
    const core = gzipped(
      await bundle(`import { createSpoor } from '@spoor/web'; window.s = createSpoor;`),
    );
    const withClicks = gzipped(
      await bundle(
        `import { createSpoor } from '@spoor/web'; import { clicks } from '${join(root, 'dist/esm/clicks.js')}'; window.s = [createSpoor, clicks];`,
      ),
    );
    expect(withClicks - core).toBeGreaterThan(0);
    expect(withClicks - core).toBeLessThan(800);
  });
});
