import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEV_CREDENTIALS_FILE, ensureDevCredentials } from './dev-credentials.js';

const key = { key: 'k', source: 'web', origins: null };
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('ensureDevCredentials', () => {
  it('uses configured credentials as they are', () => {
    dir = mkdtempSync(join(tmpdir(), 'spoor-cred-'));
    expect(ensureDevCredentials(dir, { writeKeys: [key], adminToken: 't'.repeat(16) })).toEqual({
      ok: true,
      value: { writeKeys: [key], adminToken: 't'.repeat(16), development: false },
    });
  });

  it.each([
    [{ writeKeys: [key], adminToken: null }, 'SPOOR_ADMIN_TOKEN'],
    [{ writeKeys: null, adminToken: 't'.repeat(16) }, 'SPOOR_WRITE_KEYS'],
  ])('refuses half a production setup (%#)', (configured, missing) => {
    dir = mkdtempSync(join(tmpdir(), 'spoor-cred-'));
    const result = ensureDevCredentials(dir, configured);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(missing);
  });

  it('creates development credentials once, private, and reuses them', () => {
    dir = mkdtempSync(join(tmpdir(), 'spoor-cred-'));
    const first = ensureDevCredentials(dir, { writeKeys: null, adminToken: null });
    const again = ensureDevCredentials(dir, { writeKeys: null, adminToken: null });
    expect(first.ok && first.value.development).toBe(true);
    expect(again).toEqual(first);
    expect(statSync(join(dir, DEV_CREDENTIALS_FILE)).mode & 0o777).toBe(0o600);
  });
});
