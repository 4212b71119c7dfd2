import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['spoor-source'] },
  ssr: { resolve: { conditions: ['spoor-source'] } },
  test: {
    include: ['*/src/**/*.test.ts', '*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
