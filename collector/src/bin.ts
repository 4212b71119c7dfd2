#!/usr/bin/env node
import { buildCollector } from './app.js';
import { loadConfig } from './config.js';
import { ensureDevCredentials } from './dev-credentials.js';

/** Starts a collector from `SPOOR_*` environment variables; stops gracefully on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) fail(loaded.error);
  const env = loaded.value;
  const resolved = ensureDevCredentials(env.dataDir, env);
  if (!resolved.ok) fail(resolved.error);
  const credentials = resolved.value;
  const app = buildCollector({
    ...env,
    writeKeys: credentials.writeKeys,
    adminToken: credentials.adminToken,
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
    printDevBanner(base, credentials.writeKeys[0]?.key ?? '', credentials.adminToken, env.dataDir);

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

function printDevBanner(base: string, writeKey: string, adminToken: string, dataDir: string): void {
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
