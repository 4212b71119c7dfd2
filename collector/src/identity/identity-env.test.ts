import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';

const identity = (env: Record<string, string>) => {
  const result = loadConfig(env);
  if (!result.ok) throw new Error(result.error);
  return result.value.identity;
};
const error = (env: Record<string, string>) => {
  const result = loadConfig(env);
  return result.ok ? null : result.error;
};

describe('identity configuration', () => {
  it('defaults: on, the documented limits and priorities, nothing hashed', () => {
    const rules = identity({});
    expect(rules?.types['user_id']).toEqual({ max: 1, priority: 100, sensitive: false });
    expect(rules?.types['anonymous_id']).toEqual({ max: Infinity, priority: 10, sensitive: false });
    for (const t of ['wechat_unionid', 'phone', 'member_id']) expect(rules?.types[t]?.max).toBe(1);
    expect(rules).toMatchObject({
      maxIdentifiers: 1000,
      maxMerges: 200,
      phoneRegion: 'CN',
      purchaseEvents: ['Order Completed'],
      secret: null,
      blockedPattern: null,
    });
  });

  it('reads every identity variable', () => {
    const rules = identity({
      SPOOR_IDENTITY_TYPES: 'phone,email,store_card',
      SPOOR_IDENTITY_LIMITS: 'email=2, phone=unlimited,store_card=1',
      SPOOR_IDENTITY_PRIORITIES: 'store_card=95,anonymous_id=-5',
      SPOOR_SENSITIVE_IDENTITIES: 'phone,email',
      SPOOR_IDENTITY_SECRET: 'a-long-enough-secret',
      SPOOR_PHONE_REGION: 'HK',
      SPOOR_BLOCKED_IDENTITY_PATTERN: '^(test|demo)-',
      SPOOR_MAX_PROFILE_IDENTIFIERS: '50',
      SPOOR_MAX_PROFILE_MERGES: '10',
      SPOOR_PURCHASE_EVENTS: 'Order Completed, Payment Succeeded',
    });
    expect(rules?.types).toEqual({
      user_id: { max: 1, priority: 100, sensitive: false },
      anonymous_id: { max: Infinity, priority: -5, sensitive: false },
      phone: { max: Infinity, priority: 70, sensitive: true },
      email: { max: 2, priority: 60, sensitive: true },
      store_card: { max: 1, priority: 95, sensitive: false },
    });
    expect(rules).toMatchObject({
      secret: 'a-long-enough-secret',
      phoneRegion: 'HK',
      blockedPattern: '^(test|demo)-',
      maxIdentifiers: 50,
      maxMerges: 10,
      purchaseEvents: ['Order Completed', 'Payment Succeeded'],
    });
  });

  it('SPOOR_IDENTITY=off turns resolution off', () => {
    expect(identity({ SPOOR_IDENTITY: 'off' })).toBeNull();
  });

  it.each([
    [{ SPOOR_IDENTITY: 'maybe' }, 'SPOOR_IDENTITY'],
    [{ SPOOR_IDENTITY_LIMITS: 'phone' }, 'SPOOR_IDENTITY_LIMITS: "phone" is not type='],
    [{ SPOOR_IDENTITY_LIMITS: 'phone=0' }, 'SPOOR_IDENTITY_LIMITS'],
    [{ SPOOR_IDENTITY_LIMITS: 'shoe_size=1' }, 'identity type "shoe_size" is not configured'],
    [{ SPOOR_IDENTITY_PRIORITIES: 'phone=high' }, 'SPOOR_IDENTITY_PRIORITIES'],
    [{ SPOOR_SENSITIVE_IDENTITIES: 'phone' }, 'SPOOR_IDENTITY_SECRET: required'],
    [{ SPOOR_IDENTITY_SECRET: 'short' }, 'SPOOR_IDENTITY_SECRET: must be at least 16'],
    [{ SPOOR_PHONE_REGION: 'china' }, 'SPOOR_PHONE_REGION'],
    [{ SPOOR_BLOCKED_IDENTITY_PATTERN: '(' }, 'SPOOR_BLOCKED_IDENTITY_PATTERN: must be a valid'],
    [{ SPOOR_MAX_PROFILE_IDENTIFIERS: '1' }, 'SPOOR_MAX_PROFILE_IDENTIFIERS'],
  ])('refuses %j with a message naming it', (env, message) => {
    expect(error(env)).toContain(message);
  });
});
