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
  /** True when the credentials came from the development credentials file. */
  development: boolean;
}

/** The result of {@link ensureDevCredentials}. */
export type CredentialsResult = { ok: true; value: Credentials } | { ok: false; error: string };

/**
 * With neither a write key nor an admin token configured, creates development ones, once, and
 * keeps them in the data directory (mode 0600) so restarts keep working with the same values.
 * One without the other is refused: that is a production setup missing half its credentials.
 */
export function ensureDevCredentials(
  dataDir: string,
  configured: { writeKeys: WriteKey[] | null; adminToken: string | null },
): CredentialsResult {
  const { writeKeys, adminToken } = configured;
  if (writeKeys && adminToken)
    return { ok: true, value: { writeKeys, adminToken, development: false } };
  if (writeKeys || adminToken) {
    const missing = writeKeys ? 'SPOOR_ADMIN_TOKEN' : 'SPOOR_WRITE_KEYS';
    return {
      ok: false,
      error: `Invalid configuration:\n  ${missing}: required when the other credential is set (set both, or neither for development)`,
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
    ok: true,
    value: {
      writeKeys: [{ key: dev.writeKey, source: 'dev', origins: null }],
      adminToken: dev.adminToken,
      development: true,
    },
  };
}
