import { describe, expect, it } from 'vitest';
import { CONFIG_DEFAULTS, DEFAULT_IDENTITY_TYPES, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('applies the documented defaults and leaves credentials to be created', () => {
    const result = loadConfig({ PATH: '/usr/bin' });
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({
        host: '0.0.0.0',
        port: 8080,
        dataDir: './.spoor',
        writeKeys: null,
        adminToken: null,
        trustProxy: false,
        identityTypes: DEFAULT_IDENTITY_TYPES,
        dedupeWindowDays: 7,
        sqliteSync: 'full',
        maxPendingEvents: CONFIG_DEFAULTS.maxPendingEvents,
      }),
    });
  });

  it('parses write keys: bare, with a source, and with allowed origins', () => {
    const result = loadConfig({
      SPOOR_WRITE_KEYS: 'k1, k2=server ,k3=web@https://shop.example.com|http://localhost:3000',
    });
    expect(result.ok && result.value.writeKeys).toEqual([
      { key: 'k1', source: 'k1', origins: null },
      { key: 'k2', source: 'server', origins: null },
      { key: 'k3', source: 'web', origins: ['https://shop.example.com', 'http://localhost:3000'] },
    ]);
  });

  it.each([
    ['1', 1],
    ['true', true],
    ['false', false],
    ['10.0.0.0/8, 127.0.0.1', ['10.0.0.0/8', '127.0.0.1']],
  ] as const)('reads SPOOR_TRUST_PROXY=%s', (value, expected) => {
    const result = loadConfig({ SPOOR_TRUST_PROXY: value });
    expect(result.ok && result.value.trustProxy).toEqual(expected);
  });

  it('reads a webhook whose name starts with http', () => {
    const result = loadConfig({ SPOOR_WEBHOOKS: 'http-log=https://log.example.com/in' });
    expect(result.ok && result.value.webhooks).toEqual([
      { name: 'http-log', url: 'https://log.example.com/in' },
    ]);
  });

  it('reads webhooks with and without names', () => {
    const result = loadConfig({
      SPOOR_WEBHOOKS: 'crm=https://crm.example.com/hook,http://127.0.0.1:9000/in',
    });
    expect(result.ok && result.value.webhooks).toEqual([
      { name: 'crm', url: 'https://crm.example.com/hook' },
      { name: 'webhook2', url: 'http://127.0.0.1:9000/in' },
    ]);
  });

  it.each([
    ['SPOOR_PORT', 'abc'],
    ['SPOOR_PORT', '70000'],
    ['SPOOR_WRITE_KEYS', 'good,bad key'],
    ['SPOOR_WRITE_KEYS', 'k=web@shop.example.com'],
    ['SPOOR_WRITE_KEYS', 'k=web@https://shop.example.com/path'],
    ['SPOOR_WRITE_KEYS', 'same,same=other'],
    ['SPOOR_ADMIN_TOKEN', 'short'],
    ['SPOOR_IDENTITY_TYPES', 'phone,Bad-Type'],
    ['SPOOR_IDENTITY_TYPES', 'user_id'],
    ['SPOOR_SQLITE_SYNC', 'off'],
    ['SPOOR_DEDUPE_DAYS', '0'],
    ['SPOOR_WEBHOOKS', 'crm=ftp://x'],
    ['SPOOR_WEBHOOKS', 'crm=https://a.example.com,crm=https://b.example.com'],
    ['SPOOR_WEBHOOKS', 'not a url'],
    ['SPOOR_LOG_LEVEL', 'loud'],
    ['SPOOR_PROT', '8080'],
  ])('refuses %s=%s with one message naming the variable', (name, value) => {
    const result = loadConfig({ [name]: value });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatch(/^Invalid configuration:/);
      expect(result.error).toContain(name);
    }
  });

  it('reports every bad variable at once', () => {
    const result = loadConfig({ SPOOR_PORT: 'x', SPOOR_SQLITE_SYNC: 'off' });
    expect(!result.ok && result.error.split('\n')).toHaveLength(3);
  });
});
