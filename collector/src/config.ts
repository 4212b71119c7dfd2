import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { DEFAULT_LIMITS, IdentityTypeSchema, type Limits } from '@spoor/schemas';
import { IDENTITY_ENV, identityRulesFromEnv } from './identity/identity-env.js';
import type { IdentityRules } from './identity/rules.js';

/** A write key and the source it names. */
export interface WriteKey {
  key: string;
  /** Source name stored with every event sent with this key. */
  source: string;
  /** Browser origins allowed to send with this key; `null` allows any. */
  origins: string[] | null;
}

/** A webhook sink: accepted events are POSTed to `url` in batches. */
export interface WebhookConfig {
  name: string;
  url: string;
}

/** Everything a collector needs, fully resolved. */
export interface CollectorConfig {
  host: string;
  port: number;
  dataDir: string;
  writeKeys: WriteKey[];
  adminToken: string;
  /** Fastify's trustProxy: whether and whom to believe in X-Forwarded-For. */
  trustProxy: boolean | number | string[];
  identityTypes: string[];
  /** ONE ID resolution: identity rules (see docs/identity.md), or null to store events only. */
  identity: IdentityRules | null;
  dedupeWindowDays: number;
  /** SQLite `synchronous`: `full` fsyncs every commit (survives power loss), `normal` does not. */
  sqliteSync: 'full' | 'normal';
  /** Events parsed but not yet committed beyond which requests are shed with 503. */
  maxPendingEvents: number;
  /** How far past the receive time a corrected timestamp may lie. */
  maxFutureSeconds: number;
  /** How old an event's corrected timestamp may be. */
  maxPastDays: number;
  webhooks: WebhookConfig[];
  /** Size and shape bounds for events and batches. */
  limits: Limits;
  /** Worker threads that decode and validate ingest requests. */
  ingestThreads: number;
  /** `SPOOR_DEFINITIONS`: a JSON file of tag and segment definitions loaded at start-up. */
  definitionsFile?: string;
  /** Where the engine's days begin, in minutes east of UTC (480 for China). */
  dayOffsetMinutes: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

/** Identity types a deployment accepts unless `SPOOR_IDENTITY_TYPES` says otherwise. */
export const DEFAULT_IDENTITY_TYPES = [
  'wechat_openid',
  'wechat_unionid',
  'phone',
  'email',
  'member_id',
  'device_id',
];

/** Defaults for everything but credentials. */
export const CONFIG_DEFAULTS = {
  host: '0.0.0.0',
  port: 8080,
  dataDir: './.spoor',
  trustProxy: false,
  identityTypes: DEFAULT_IDENTITY_TYPES,
  dedupeWindowDays: 7,
  sqliteSync: 'full',
  maxPendingEvents: 50_000,
  maxFutureSeconds: 24 * 3600,
  maxPastDays: 3650,
  webhooks: [],
  limits: DEFAULT_LIMITS,
  ingestThreads: defaultIngestThreads(),
  dayOffsetMinutes: 0,
  logLevel: 'info',
} as const satisfies Partial<CollectorConfig>;

/**
 * One ingest thread per core: decoding and validating events is most of the CPU work, while the
 * event loop (HTTP) and the storage thread need a fraction of a core each. Measured on 2 cores:
 * 2 ingest threads ingest about 40 % more than 1.
 */
export function defaultIngestThreads(): number {
  return Math.max(1, availableParallelism());
}

const KEY_ENTRY = /^([A-Za-z0-9._~-]+)(?:=([A-Za-z0-9_-]+))?(?:@(.+))?$/;

const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

const writeKeys = z.string().transform((value, ctx) => {
  const keys: WriteKey[] = [];
  for (const entry of list(value)) {
    const match = KEY_ENTRY.exec(entry);
    if (!match) {
      ctx.addIssue({
        code: 'custom',
        message: `"${entry}" is not key, key=source or key=source@origin|origin`,
      });
      return z.NEVER;
    }
    const [, key = '', source, origins] = match;
    const parsed = origins?.split('|').map(parseOrigin);
    if (parsed?.some((o) => o === null)) {
      ctx.addIssue({
        code: 'custom',
        message: `"${entry}" lists an origin that is not scheme://host[:port]`,
      });
      return z.NEVER;
    }
    keys.push({ key, source: source ?? key, origins: (parsed as string[] | undefined) ?? null });
  }
  if (new Set(keys.map((k) => k.key)).size !== keys.length) {
    ctx.addIssue({ code: 'custom', message: 'a write key is listed twice' });
    return z.NEVER;
  }
  return keys;
});

function parseOrigin(text: string): string | null {
  try {
    const url = new URL(text);
    return url.origin === 'null' || url.pathname !== '/' || text.endsWith('/') ? null : url.origin;
  } catch {
    return null;
  }
}

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const trustProxy = z.string().transform((value): boolean | number | string[] => {
  if (value === 'true') return true;
  if (value === 'false' || value === '') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return list(value);
});

const webhooks = z.string().transform((value, ctx) => {
  const hooks = list(value).map((entry, i) => {
    const named = /^([A-Za-z0-9_-]+)=(https?:\/\/\S+)$/.exec(entry);
    if (named) return { name: named[1] ?? '', url: named[2] ?? '' };
    if (/^https?:\/\/\S+$/.test(entry)) return { name: `webhook${i + 1}`, url: entry };
    ctx.addIssue({
      code: 'custom',
      message: `"${entry}" is not name=http(s)://url or http(s)://url`,
    });
    return { name: '', url: '' };
  });
  // A sink's name keys its cursor: two sinks sharing one would skip each other's events.
  if (new Set(hooks.map((h) => h.name)).size !== hooks.length) {
    ctx.addIssue({ code: 'custom', message: 'two webhooks have the same name' });
  }
  return hooks;
});

const EnvSchema = z.strictObject({
  SPOOR_HOST: z.string().min(1).default(CONFIG_DEFAULTS.host),
  SPOOR_PORT: int(0, 65535).default(CONFIG_DEFAULTS.port),
  SPOOR_DATA_DIR: z.string().min(1).default(CONFIG_DEFAULTS.dataDir),
  SPOOR_WRITE_KEYS: writeKeys.optional(),
  SPOOR_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SPOOR_TRUST_PROXY: trustProxy.default(false),
  SPOOR_IDENTITY_TYPES: z
    .string()
    .transform(list)
    .pipe(
      z.array(
        IdentityTypeSchema.refine(
          (t) => t !== 'user_id' && t !== 'anonymous_id',
          'user_id and anonymous_id are built in',
        ),
      ),
    )
    .optional(),
  SPOOR_DEDUPE_DAYS: int(1, 365).default(CONFIG_DEFAULTS.dedupeWindowDays),
  SPOOR_SQLITE_SYNC: z.enum(['full', 'normal']).default(CONFIG_DEFAULTS.sqliteSync),
  SPOOR_MAX_PENDING_EVENTS: int(100, 10_000_000).default(CONFIG_DEFAULTS.maxPendingEvents),
  SPOOR_MAX_FUTURE_SECONDS: int(0, 366 * 86400).default(CONFIG_DEFAULTS.maxFutureSeconds),
  SPOOR_MAX_PAST_DAYS: int(1, 36500).default(CONFIG_DEFAULTS.maxPastDays),
  SPOOR_WEBHOOKS: webhooks.optional(),
  SPOOR_INGEST_THREADS: int(1, 64).optional(),
  ...IDENTITY_ENV,
  SPOOR_DEMO: z.enum(['1', '0']).optional(),
  SPOOR_DEFINITIONS: z.string().min(1).optional(),
  SPOOR_DAY_OFFSET_MINUTES: z.coerce
    .number()
    .int()
    .min(-720)
    .max(840)
    .default(CONFIG_DEFAULTS.dayOffsetMinutes),
  SPOOR_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default(CONFIG_DEFAULTS.logLevel),
});

/** Configuration read from the environment; credentials may still be missing. */
export type EnvConfig = Omit<CollectorConfig, 'writeKeys' | 'adminToken'> & {
  writeKeys: WriteKey[] | null;
  adminToken: string | null;
  /** `SPOOR_DEMO`: serve the demo shop (true), never (false), or with development credentials (null). */
  demo: boolean | null;
};

/** The result of {@link loadConfig}: the config, or one message naming every bad variable. */
export type ConfigResult = { ok: true; value: EnvConfig } | { ok: false; error: string };

/** Reads and validates `SPOOR_*` variables. */
export function loadConfig(env: Record<string, string | undefined>): ConfigResult {
  const present = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k.startsWith('SPOOR_') && v !== undefined),
  );
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `  ${i.path.join('.') || 'environment'}: ${i.message}`,
    );
    return { ok: false, error: `Invalid configuration:\n${lines.join('\n')}` };
  }
  const e = parsed.data;
  const identityTypes = e.SPOOR_IDENTITY_TYPES ?? [...DEFAULT_IDENTITY_TYPES];
  const identity = identityRulesFromEnv(e, identityTypes);
  if (!identity.ok) return { ok: false, error: `Invalid configuration:\n  ${identity.error}` };
  return {
    ok: true,
    value: {
      host: e.SPOOR_HOST,
      port: e.SPOOR_PORT,
      dataDir: e.SPOOR_DATA_DIR,
      writeKeys: e.SPOOR_WRITE_KEYS && e.SPOOR_WRITE_KEYS.length > 0 ? e.SPOOR_WRITE_KEYS : null,
      adminToken: e.SPOOR_ADMIN_TOKEN ?? null,
      trustProxy: e.SPOOR_TRUST_PROXY,
      identityTypes,
      identity: e.SPOOR_IDENTITY === 'on' ? identity.rules : null,
      dedupeWindowDays: e.SPOOR_DEDUPE_DAYS,
      sqliteSync: e.SPOOR_SQLITE_SYNC,
      maxPendingEvents: e.SPOOR_MAX_PENDING_EVENTS,
      maxFutureSeconds: e.SPOOR_MAX_FUTURE_SECONDS,
      maxPastDays: e.SPOOR_MAX_PAST_DAYS,
      webhooks: e.SPOOR_WEBHOOKS ?? [],
      limits: { ...DEFAULT_LIMITS },
      ingestThreads: e.SPOOR_INGEST_THREADS ?? defaultIngestThreads(),
      logLevel: e.SPOOR_LOG_LEVEL,
      ...(e.SPOOR_DEFINITIONS ? { definitionsFile: e.SPOOR_DEFINITIONS } : {}),
      dayOffsetMinutes: e.SPOOR_DAY_OFFSET_MINUTES,
      demo: e.SPOOR_DEMO === undefined ? null : e.SPOOR_DEMO === '1',
    },
  };
}
