import { z } from 'zod';
import { BUILT_IN_TYPES, defaultIdentityRules, type IdentityRules } from './rules.js';

const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** `type=value,…` into a record, with `parse` per value. */
const pairs = (parse: (v: string) => number | null, what: string) =>
  z.string().transform((value, ctx) => {
    const out: Record<string, number> = {};
    for (const entry of list(value)) {
      const [type = '', raw = ''] = entry.split('=');
      const parsed = parse(raw.trim());
      if (parsed === null || type.trim() === '') {
        ctx.addIssue({ code: 'custom', message: `"${entry}" is not type=${what}` });
        return z.NEVER;
      }
      out[type.trim()] = parsed;
    }
    return out;
  });

const count = (v: string) =>
  v === 'unlimited' ? Infinity : /^[1-9]\d{0,5}$/.test(v) ? Number(v) : null;
const priority = (v: string) => (/^-?\d{1,4}$/.test(v) ? Number(v) : null);
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** The identity variables of the environment schema (config.ts). */
export const IDENTITY_ENV = {
  SPOOR_IDENTITY: z.enum(['on', 'off']).default('on'),
  SPOOR_IDENTITY_LIMITS: pairs(count, 'a count or "unlimited"').optional(),
  SPOOR_IDENTITY_PRIORITIES: pairs(priority, 'an integer').optional(),
  SPOOR_SENSITIVE_IDENTITIES: z.string().transform(list).optional(),
  SPOOR_IDENTITY_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  SPOOR_PHONE_REGION: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be a two-letter region code such as CN')
    .default('CN'),
  SPOOR_BLOCKED_IDENTITY_PATTERN: z
    .string()
    .refine((p) => {
      try {
        new RegExp(p, 'u');
        return true;
      } catch {
        return false;
      }
    }, 'must be a valid regular expression')
    .optional(),
  SPOOR_MAX_PROFILE_IDENTIFIERS: int(2, 1_000_000).optional(),
  SPOOR_MAX_PROFILE_MERGES: int(1, 1_000_000).optional(),
  SPOOR_PURCHASE_EVENTS: z.string().transform(list).optional(),
};

type IdentityEnv = { [K in keyof typeof IDENTITY_ENV]?: z.output<(typeof IDENTITY_ENV)[K]> };

/** Identity rules from parsed variables, or the message of the first inconsistency. */
export function identityRulesFromEnv(
  env: IdentityEnv,
  types: readonly string[],
): { ok: true; rules: IdentityRules } | { ok: false; error: string } {
  const known = new Set<string>([...BUILT_IN_TYPES, ...types]);
  const named: [string, string[]][] = [
    ['SPOOR_IDENTITY_LIMITS', Object.keys(env.SPOOR_IDENTITY_LIMITS ?? {})],
    ['SPOOR_IDENTITY_PRIORITIES', Object.keys(env.SPOOR_IDENTITY_PRIORITIES ?? {})],
    ['SPOOR_SENSITIVE_IDENTITIES', env.SPOOR_SENSITIVE_IDENTITIES ?? []],
  ];
  for (const [variable, names] of named) {
    const unknown = names.find((t) => !known.has(t));
    if (unknown !== undefined) {
      return { ok: false, error: `${variable}: identity type "${unknown}" is not configured` };
    }
  }
  const sensitive = env.SPOOR_SENSITIVE_IDENTITIES ?? [];
  if (sensitive.length > 0 && env.SPOOR_IDENTITY_SECRET === undefined) {
    return {
      ok: false,
      error: 'SPOOR_IDENTITY_SECRET: required when SPOOR_SENSITIVE_IDENTITIES is set',
    };
  }
  return {
    ok: true,
    rules: defaultIdentityRules(types, {
      limits: env.SPOOR_IDENTITY_LIMITS,
      priorities: env.SPOOR_IDENTITY_PRIORITIES,
      sensitive,
      secret: env.SPOOR_IDENTITY_SECRET ?? null,
      phoneRegion: env.SPOOR_PHONE_REGION,
      blockedPattern: env.SPOOR_BLOCKED_IDENTITY_PATTERN ?? null,
      maxIdentifiers: env.SPOOR_MAX_PROFILE_IDENTIFIERS,
      maxMerges: env.SPOOR_MAX_PROFILE_MERGES,
      purchaseEvents: env.SPOOR_PURCHASE_EVENTS,
    }),
  };
}
