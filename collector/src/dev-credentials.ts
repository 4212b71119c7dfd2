import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WriteKey } from './config.js';

/** Where development credentials are kept inside the data directory. */
export const DEV_CREDENTIALS_FILE = 'dev-credentials.json';

/** Credentials to run with, and whether any were made up for development. */
export interface Credentials {
  writeKeys: WriteKey[];
  adminToken: string;
  /** True when a write key or the admin token came from the development credentials file. */
  development: boolean;
}

/**
 * Fills in whatever credentials the environment left out with development ones, created once
 * and kept in the data directory (mode 0600) so restarts keep working with the same values.
 */
export function ensureDevCredentials(
  dataDir: string,
  configured: { writeKeys: WriteKey[] | null; adminToken: string | null },
): Credentials {
  if (configured.writeKeys && configured.adminToken) {
    return {
      writeKeys: configured.writeKeys,
      adminToken: configured.adminToken,
      development: false,
    };
  }
  const file = join(dataDir, DEV_CREDENTIALS_FILE);
  let dev: { writeKey: string; adminToken: string };
  if (existsSync(file)) {
    dev = JSON.parse(readFileSync(file, 'utf8')) as typeof dev;
  } else {
    dev = {
      writeKey: `dev_${randomBytes(18).toString('base64url')}`,
      adminToken: randomBytes(32).toString('base64url'),
    };
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(dev, null, 2)}\n`, { mode: 0o600 });
  }
  return {
    writeKeys: configured.writeKeys ?? [{ key: dev.writeKey, source: 'dev', origins: null }],
    adminToken: configured.adminToken ?? dev.adminToken,
    development: true,
  };
}
