import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { WriteKey } from '../config.js';
import { SpoorError } from '../errors.js';

/** Looks up write keys the way Segment accepts them: HTTP Basic user name, or `writeKey` in the body. */
export function createKeyring(keys: readonly WriteKey[]) {
  const byKey = new Map(keys.map((k) => [k.key, k]));
  const anyOrigin = keys.some((k) => k.origins === null);
  const origins = new Set(keys.flatMap((k) => k.origins ?? []));
  return {
    /** The key in an Authorization header: `undefined` if there is none, `null` if it is unknown. */
    fromHeader(header: string | undefined): WriteKey | null | undefined {
      if (header === undefined) return undefined;
      const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
      if (!match?.[1]) return null;
      const decoded = Buffer.from(match[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      return byKey.get(colon === -1 ? decoded : decoded.slice(0, colon)) ?? null;
    },
    /** Resolves a request's key from its header or body, or throws `unauthorized`. */
    resolve(headers: { authorization?: string; origin?: string }, body: unknown): WriteKey {
      const header = this.fromHeader(headers.authorization);
      if (header === null) throw new SpoorError('unauthorized');
      const fromBody =
        typeof body === 'object' && body !== null
          ? (body as { writeKey?: unknown }).writeKey
          : undefined;
      const key = header ?? (typeof fromBody === 'string' ? byKey.get(fromBody) : undefined);
      if (!key) throw new SpoorError('unauthorized');
      const origin = headers.origin;
      if (origin !== undefined && key.origins !== null && !key.origins.includes(origin)) {
        throw new SpoorError('forbidden_origin');
      }
      return key;
    },
    /** Whether any key admits browser requests from `origin` (decides CORS preflights). */
    admitsOrigin(origin: string): boolean {
      return anyOrigin || origins.has(origin);
    },
  };
}

/** The keyring a collector carries. */
export type Keyring = ReturnType<typeof createKeyring>;

/** Throws `admin_unauthorized` unless the request carries `Authorization: Bearer <token>`. */
export function requireAdmin(request: FastifyRequest, token: string): void {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  const given = Buffer.from(match?.[1] ?? '');
  const expected = Buffer.from(token);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new SpoorError('admin_unauthorized');
}
