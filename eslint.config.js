import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/miniprogram_dist/**',
      '**/node_modules/**',
      '.spoor/**',
      'schemas/json/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.ts', '*/scripts/*.mjs', 'bench/*.js'] },
      },
      globals: { ...globals.node },
    },
    rules: {
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Fastify plugins and handlers are async by convention, with or without an await inside.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.test.ts'],
    // vitest's asymmetric matchers (expect.objectContaining …) are typed `any` by design.
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    // The SDK core runs on every platform: it may use only what ES2022 defines. Platform
    // facilities (network, storage, timers, clock) arrive through its port (platform.ts).
    files: ['sdk-core/src/**/*.ts'],
    ignores: ['sdk-core/src/**/*.test.ts', 'sdk-core/src/test-kit/**'],
    languageOptions: { globals: { ...globals.es2022 } },
    rules: {
      'no-restricted-globals': [
        'error',
        ...[
          'window',
          'document',
          'navigator',
          'localStorage',
          'sessionStorage',
          'indexedDB',
          'fetch',
          'XMLHttpRequest',
          'wx',
          'process',
          'Buffer',
          'global',
          'require',
          'setTimeout',
          'setInterval',
          'console',
        ].map((name) => ({
          name,
          message: `sdk-core is platform-neutral: ${name} comes from the platform port`,
        })),
      ],
      // Lowered to ES2015 (the mini-program build), an async function costs a generator helper
      // in every bundle: promise chains cost nothing.
      'no-restricted-syntax': [
        'error',
        {
          selector: ':function[async=true]',
          message: 'sdk-core uses promise chains, not async functions (see eslint.config.js)',
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'http', 'https', 'crypto'],
              message: 'sdk-core imports no platform modules',
            },
          ],
        },
      ],
    },
  },
  {
    // The engine's evaluation core is pure: definitions + state + now in, results out. Its clock,
    // storage and I/O belong to the collector.
    files: ['engine/src/**/*.ts'],
    ignores: ['engine/src/**/*.test.ts', 'engine/src/test-kit/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['process', 'Buffer', 'setTimeout', 'setInterval', 'fetch', 'require'].map((name) => ({
          name,
          message: `the engine core is pure: ${name} belongs to the collector`,
        })),
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'the engine core takes `now` as an argument',
        },
      ],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*'], message: 'the engine core imports no Node modules' }] },
      ],
    },
  },
  {
    // The web SDK runs in pages: no Node globals or modules outside its tests and build script.
    files: ['sdk-web/src/**/*.ts'],
    ignores: ['sdk-web/src/**/*.test.ts', 'sdk-web/src/test-kit.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-globals': [
        'error',
        ...['process', 'Buffer', 'global', 'require', '__dirname'].map((name) => ({
          name,
          message: `@spoor/web runs in browsers: ${name} does not exist there`,
        })),
      ],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*'], message: '@spoor/web imports no Node modules' }] },
      ],
    },
  },
  {
    // The mini-program SDK runs inside WeChat: no DOM, no Node. `globals.node` (above) would
    // hide a stray `process` or `Buffer`, so they are named here.
    files: ['sdk-miniprogram/src/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...[
          'window',
          'document',
          'navigator',
          'localStorage',
          'fetch',
          'XMLHttpRequest',
          'URL',
          'URLSearchParams',
          'TextEncoder',
          'structuredClone',
          'globalThis',
          'process',
          'Buffer',
          'global',
          'require',
          '__dirname',
        ].map((name) => ({
          name,
          message: `@spoor/miniprogram runs in WeChat: ${name} does not exist there`,
        })),
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['node:*'], message: '@spoor/miniprogram imports no Node modules' }],
        },
      ],
    },
  },
  {
    // The demo shop runs in browsers as plain ES modules, without a build step.
    files: ['examples/web/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The example mini-program is plain ES2015 CommonJS, run by WeChat as it is (no build step).
    files: ['examples/miniprogram/**/*.js'],
    languageOptions: {
      ecmaVersion: 2015,
      sourceType: 'commonjs',
      globals: {
        ...globals.commonjs,
        ...Object.fromEntries(
          ['wx', 'App', 'Page', 'Component', 'Behavior', 'getApp', 'getCurrentPages'].map((n) => [
            n,
            'readonly',
          ]),
        ),
      },
    },
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      // typescript-eslint's parser reads any syntax: name what ES2015 lacks.
      'no-restricted-syntax': [
        'error',
        ...[
          [':function[async=true]', 'async functions are ES2017'],
          ['ObjectExpression > SpreadElement', 'object spread is ES2018'],
          ['ObjectPattern > RestElement', 'object rest is ES2018'],
          ['ChainExpression', 'optional chaining is ES2020'],
          ["LogicalExpression[operator='??']", '?? is ES2020'],
          ["BinaryExpression[operator='**']", '** is ES2016'],
          ['CatchClause[param=null]', 'catch without a binding is ES2019'],
          ['ImportExpression', 'import() is ES2020'],
        ].map(([selector, message]) => ({ selector, message: `${message}; write ES2015` })),
      ],
      'no-restricted-globals': [
        'error',
        ...[
          'window',
          'document',
          'localStorage',
          'fetch',
          'process',
          'Buffer',
          'global',
          'globalThis',
        ].map((name) => ({ name, message: `mini-programs have no ${name}` })),
      ],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
);
