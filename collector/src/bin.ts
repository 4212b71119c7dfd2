#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCollector } from './app.js';
import { loadConfig } from './config.js';
import { ensureDevCredentials, type Credentials } from './dev-credentials.js';
import { DEMO_PATH, type DemoOptions } from './plugins/demo.js';

// The demo shop and the web SDK live in the repository beside the collector (from dist/ or src/).
const DEMO_DIR = fileURLToPath(new URL('../../examples/web/', import.meta.url));
const SDK_FILE = fileURLToPath(new URL('../../sdk-web/dist/spoor.js', import.meta.url));

/** Starts a collector from `SPOOR_*` environment variables; stops gracefully on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) fail(loaded.error);
  const { demo: demoFlag, ...env } = loaded.value;
  const resolved = ensureDevCredentials(env.dataDir, env);
  if (!resolved.ok) fail(resolved.error);
  const credentials = resolved.value;
  const demo = demoOptions(demoFlag, credentials);
  const app = buildCollector({
    ...env,
    writeKeys: credentials.writeKeys,
    adminToken: credentials.adminToken,
    demo,
  });

  try {
    await app.listen({ host: env.host, port: env.port });
  } catch (error) {
    fail(`Could not start the collector: ${(error as Error).message}`);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : env.port;
  const base = `http://${env.host === '0.0.0.0' || env.host === '::' ? '127.0.0.1' : env.host}:${port}`;
  if (credentials.development)
    printDevBanner(
      base,
      credentials.writeKeys[0]?.key ?? '',
      credentials.adminToken,
      env.dataDir,
      demo !== undefined,
    );
  else if (demo) app.log.info({ url: `${base}${DEMO_PATH}` }, 'demo shop served (SPOOR_DEMO=1)');
  if (demo && !existsSync(demo.sdkFile))
    app.log.warn(
      { file: demo.sdkFile },
      'web SDK bundle not built: /spoor.js answers 404 until `pnpm build`',
    );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      app.log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight commits');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/**
 * The demo shop runs with development credentials unless `SPOOR_DEMO=0`, and with real ones only
 * when `SPOOR_DEMO=1`; its pages then use the first write key. Outside a repository checkout
 * (an installed package) there is no shop to serve.
 */
function demoOptions(flag: boolean | null, credentials: Credentials): DemoOptions | undefined {
  if (!(flag ?? credentials.development)) return undefined;
  if (!existsSync(join(DEMO_DIR, 'index.html'))) {
    if (flag)
      fail(`SPOOR_DEMO=1, but the demo shop is not in ${DEMO_DIR} (it ships with the repository)`);
    return undefined;
  }
  return { dir: DEMO_DIR, sdkFile: SDK_FILE, writeKey: credentials.writeKeys[0]?.key ?? '' };
}

function printDevBanner(
  base: string,
  writeKey: string,
  adminToken: string,
  dataDir: string,
  demo: boolean,
): void {
  const lines = [
    '',
    'Spoor collector is running with development credentials (kept in ' +
      dataDir +
      '/dev-credentials.json).',
    '',
    `  Ingest API   ${base}/v1/batch   (write key: ${writeKey})`,
    `  Read API     ${base}/v1/events  (admin token: ${adminToken})`,
    `  Health       ${base}/healthz   ${base}/readyz   ${base}/metrics`,
    '',
    'Send an event:',
    `  curl -u '${writeKey}:' -H 'content-type: application/json' \\`,
    `    -d '{"batch":[{"type":"track","event":"Hello Spoor","anonymousId":"demo-visitor"}]}' ${base}/v1/batch`,
    'See it stored:',
    `  curl -H 'authorization: Bearer ${adminToken}' ${base}/v1/events`,
    '',
    ...(demo
      ? [
          `Try the demo shop: ${base}${DEMO_PATH}  (browse, add to cart, log in, order), then:`,
          `  curl -H 'authorization: Bearer ${adminToken}' '${base}/v1/events?limit=20'`,
          `  curl -H 'authorization: Bearer ${adminToken}' ${base}/v1/profiles/user_id:<id shown in the shop>`,
          '',
        ]
      : []),
    'Set SPOOR_WRITE_KEYS and SPOOR_ADMIN_TOKEN for anything but local development.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

void main();
