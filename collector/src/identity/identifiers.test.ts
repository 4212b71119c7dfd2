import { describe, expect, it } from 'vitest';
import { createNormalizer, HASHED_PREFIX } from './identifiers.js';
import { defaultIdentityRules } from './rules.js';

const TYPES = ['wechat_openid', 'wechat_unionid', 'phone', 'email', 'member_id', 'device_id'];
const normalize = createNormalizer(defaultIdentityRules(TYPES));

describe('identifier normalisation', () => {
  it.each([
    ['phone', '13800138000', '+8613800138000'],
    ['phone', '+86 138-0013-8000', '+8613800138000'],
    ['phone', ' 138 0013 8000 ', '+8613800138000'],
    ['phone', '+1 (415) 555-2671', '+14155552671'],
    ['email', '  Li.Lei@Example.COM ', 'li.lei@example.com'],
    ['user_id', ' u1 ', 'u1'],
    ['anonymous_id', 'A-B', 'A-B'],
  ])('%s %j → %j', (type, raw, value) => {
    expect(normalize(type, raw)).toEqual({ ok: true, value });
  });

  it.each([
    ['anonymous_id', ''],
    ['anonymous_id', '   '],
    ['user_id', 'null'],
    ['user_id', 'NULL'],
    ['user_id', 'undefined'],
    ['user_id', '0'],
    ['user_id', '-1'],
    ['anonymous_id', 'anonymous'],
    ['user_id', '[object Object]'],
    ['device_id', '00000000-0000-0000-0000-000000000000'],
    ['device_id', '000000000000000'],
    ['phone', '0'],
  ])('%s %j is junk', (type, raw) => {
    expect(normalize(type, raw)).toEqual({ ok: false, reason: 'junk' });
  });

  it.each([
    ['phone', 'call me'],
    ['phone', '12'],
    ['email', 'li.lei'],
    ['email', 'a@b'],
  ])('%s %j is invalid', (type, raw) => {
    expect(normalize(type, raw)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('blocks values matching the configured pattern', () => {
    const n = createNormalizer(defaultIdentityRules(TYPES, { blockedPattern: '^test-' }));
    expect(n('user_id', 'test-123')).toEqual({ ok: false, reason: 'junk' });
    expect(n('user_id', 'u-test-123')).toEqual({ ok: true, value: 'u-test-123' });
  });

  it('hashes sensitive types with the secret, after normalising, so lookups still match', () => {
    const rules = defaultIdentityRules(TYPES, {
      sensitive: ['phone'],
      secret: 'a-secret-of-16-chars',
    });
    const n = createNormalizer(rules);
    const a = n('phone', '13800138000');
    const b = n('phone', '+86 138 0013 8000');
    expect(a).toEqual(b);
    expect(a.ok && a.value.startsWith(HASHED_PREFIX)).toBe(true);
    expect(a.ok && a.value.includes('13800138000')).toBe(false);
    const other = createNormalizer({ ...rules, secret: 'another-secret-16chars' });
    expect(other('phone', '13800138000')).not.toEqual(a);
    expect(n('email', 'Li@Example.com')).toEqual({ ok: true, value: 'li@example.com' });
  });

  it('refuses sensitive types without a secret', () => {
    expect(() => createNormalizer(defaultIdentityRules(TYPES, { sensitive: ['phone'] }))).toThrow(
      /secret/,
    );
  });

  it('uses the configured default region for numbers without a country code', () => {
    const us = createNormalizer(defaultIdentityRules(TYPES, { phoneRegion: 'US' }));
    expect(us('phone', '(415) 555-2671')).toEqual({ ok: true, value: '+14155552671' });
  });
});
