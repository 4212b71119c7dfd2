import type { ProfileOps } from './traits.js';

/** The channels a profile can be seen on. */
export type Channel = 'web' | 'mini-program' | 'app' | 'server' | 'other';

const EXPLICIT: Record<string, Channel> = {
  browser: 'web',
  client: 'web',
  web: 'web',
  mobile: 'app',
  server: 'server',
  miniprogram: 'mini-program',
  'mini-program': 'mini-program',
};

const BY_LIBRARY: [RegExp, Channel][] = [
  [/mini-?program|wechat|weapp|\bwx\b/, 'mini-program'],
  [/ios|android|react-native|flutter|swift|kotlin/, 'app'],
  [/web|analytics\.js|analytics-next|browser|javascript|snippet/, 'web'],
  [/node|python|java|\bgo\b|golang|ruby|php|\.net|csharp|rust|server|http/, 'server'],
];

/**
 * The channel an event came through: Segment's top-level `channel` when it names one, else
 * what `context.library.name` says (Spoor's SDKs are `@spoor/web`, `@spoor/miniprogram` and
 * `@spoor/node`; Segment's libraries are recognised by name).
 */
export function channelOf(event: Record<string, unknown>): Channel {
  const explicit = typeof event['channel'] === 'string' ? EXPLICIT[event['channel']] : undefined;
  if (explicit) return explicit;
  const context = event['context'] as { library?: { name?: unknown } } | undefined;
  const library = context?.library?.name;
  if (typeof library !== 'string') return 'other';
  const name = library.toLowerCase();
  return BY_LIBRARY.find(([pattern]) => pattern.test(name))?.[1] ?? 'other';
}

/** The profile operations an identify event carries: `traits` are `set`. */
export function profileOpsOf(event: Record<string, unknown>): ProfileOps | null {
  if (event['type'] !== 'identify') return null;
  const traits = event['traits'] as Record<string, unknown> | undefined;
  const operations = (event['operations'] ?? {}) as Omit<ProfileOps, 'set'>;
  const ops: ProfileOps = { ...operations };
  if (traits !== undefined) ops.set = traits;
  return Object.keys(ops).length > 0 ? ops : null;
}

/** Where a profile stands: see docs/identity.md. */
export type LifecycleStage = 'visitor' | 'registered' | 'customer';

/** Customer once it has a purchase; registered with a user or member ID; a visitor before. */
export function lifecycleStage(
  identities: readonly { type: string }[],
  purchased: boolean,
): LifecycleStage {
  if (purchased) return 'customer';
  return identities.some((i) => i.type === 'user_id' || i.type === 'member_id')
    ? 'registered'
    : 'visitor';
}
