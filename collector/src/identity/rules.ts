/** How identifiers of one type take part in identity stitching. */
export interface TypeRule {
  /** Most distinct values of this type one profile may hold; `Infinity` for no limit. */
  max: number;
  /** Higher wins: the event's primary identifier, and the order its links are applied in. */
  priority: number;
  /** Stored as an HMAC of the normalised value instead of the value itself. */
  sensitive: boolean;
}

/** The identity rules of a deployment: see docs/identity.md. */
export interface IdentityRules {
  types: Record<string, TypeRule>;
  /** Identifiers one profile may hold; a merge past it is refused. */
  maxIdentifiers: number;
  /** Merges one profile may absorb; a merge past it is refused. */
  maxMerges: number;
  /** Default region for phone numbers written without a country code (ISO 3166 alpha-2). */
  phoneRegion: string;
  /** A regular expression (source text): matching values are junk, never linked. */
  blockedPattern: string | null;
  /** HMAC key for sensitive types; required when any type is sensitive. */
  secret: string | null;
  /** Event names that make a profile a customer. */
  purchaseEvents: string[];
}

/** The built-in types every deployment has. */
export const BUILT_IN_TYPES = ['user_id', 'anonymous_id'] as const;

/** Priorities and limits for the well-known types; configured types default to 50 / unlimited. */
export const DEFAULT_TYPE_RULES: Readonly<Record<string, Omit<TypeRule, 'sensitive'>>> = {
  user_id: { max: 1, priority: 100 },
  member_id: { max: 1, priority: 90 },
  wechat_unionid: { max: 1, priority: 80 },
  phone: { max: 1, priority: 70 },
  email: { max: Infinity, priority: 60 },
  wechat_openid: { max: Infinity, priority: 50 },
  device_id: { max: Infinity, priority: 20 },
  anonymous_id: { max: Infinity, priority: 10 },
};

/** Defaults for the profile-wide caps. */
export const DEFAULT_IDENTITY_CAPS = { maxIdentifiers: 1000, maxMerges: 200 } as const;

/** Overrides of the per-type rules, as read from the environment. */
export interface RuleOverrides {
  limits?: Record<string, number>;
  priorities?: Record<string, number>;
  sensitive?: string[];
}

/** Builds the rule of every type from the configured type list and overrides. */
export function buildTypeRules(
  configuredTypes: readonly string[],
  overrides: RuleOverrides = {},
): Record<string, TypeRule> {
  const types: Record<string, TypeRule> = Object.create(null) as Record<string, TypeRule>;
  for (const type of [...BUILT_IN_TYPES, ...configuredTypes]) {
    const base = DEFAULT_TYPE_RULES[type] ?? { max: Infinity, priority: 50 };
    types[type] = {
      max: overrides.limits?.[type] ?? base.max,
      priority: overrides.priorities?.[type] ?? base.priority,
      sensitive: overrides.sensitive?.includes(type) ?? false,
    };
  }
  return types;
}

/** Rules with the defaults, for embedding and tests. */
export function defaultIdentityRules(
  configuredTypes: readonly string[],
  overrides: RuleOverrides & Partial<Omit<IdentityRules, 'types'>> = {},
): IdentityRules {
  return {
    types: buildTypeRules(configuredTypes, overrides),
    maxIdentifiers: overrides.maxIdentifiers ?? DEFAULT_IDENTITY_CAPS.maxIdentifiers,
    maxMerges: overrides.maxMerges ?? DEFAULT_IDENTITY_CAPS.maxMerges,
    phoneRegion: overrides.phoneRegion ?? 'CN',
    blockedPattern: overrides.blockedPattern ?? null,
    secret: overrides.secret ?? null,
    purchaseEvents: overrides.purchaseEvents ?? ['Order Completed'],
  };
}
