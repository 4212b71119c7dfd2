import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['spoor-source'] },
  ssr: { resolve: { conditions: ['spoor-source'] } },
  test: {
    include: ['*/src/**/*.test.ts', '*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The JSON report is what .ci/run reads to print its closing "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: '.test-results/vitest.json' },
  },
});
