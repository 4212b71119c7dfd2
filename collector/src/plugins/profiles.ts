import { MAX_ID_LENGTH } from '@spoor/schemas';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { CollectorContext } from '../context.js';
import { SpoorError } from '../errors.js';
import { lifecycleStage } from '../identity/event-facts.js';
import { createNormalizer, parseIdentifierRef, type Identifier } from '../identity/identifiers.js';
import type { IdentityRules } from '../identity/rules.js';
import { eventsToJson } from '../outbox/sink.js';
import type { ProfileRecord, TimelineCursor } from '../store/types.js';
import { requireAdmin } from './auth.js';
import { jsonBody } from './definitions.js';
import { parseQuery } from './read-api.js';

const TimelineQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z
    .string()
    .regex(/^-?\d{1,16}\.[1-9]\d{0,15}$/, 'must be a cursor returned as "next"')
    .transform((c): TimelineCursor => {
      const [timestamp = '0', seq = '0'] = c.split('.');
      return { timestamp: Number(timestamp), seq: Number(seq) };
    })
    .optional(),
});

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * The profile API (behind the admin token): the 360° view of the profile holding an
 * identifier, its timeline, its link and merge history, erasure, unlinking, and the
 * suppression list. Identifiers in paths are `type:value`, normalised (and hashed) like events'.
 */
export async function profileRoutes(app: FastifyInstance, ctx: CollectorContext): Promise<void> {
  app.addHook('onRequest', async (request) => requireAdmin(request, ctx.config.adminToken));
  const rules = ctx.config.identity;
  const normalize = rules ? createNormalizer(rules) : null;
  const ref = (text: string): Identifier => {
    if (!rules || !normalize) throw new SpoorError('identity_disabled');
    return resolveRef(text, rules, normalize);
  };
  const param = (request: FastifyRequest, name: string) =>
    ref((request.params as Record<string, string>)[name] ?? '');
  const found = <T>(value: T | null): T => {
    if (value === null) throw new SpoorError('profile_not_found');
    return value;
  };

  app.get('/v1/profiles/:ref', async (request) => {
    const profile = found(await ctx.store.getProfile(param(request, 'ref')));
    const [engine] = await ctx.store.engineLoad([profile.profileId]);
    return { ...renderProfile(profile), ...engineView(engine?.results ?? null) };
  });

  app.put('/v1/profiles/:ref/tags/:key', async (request) => {
    const profile = found(await ctx.store.getProfile(param(request, 'ref')));
    const key = (request.params as { key?: string }).key ?? '';
    const value = (jsonBody(request.body) as { value?: unknown } | null)?.value;
    const tag = await ctx.store.getDefinition('tag', key);
    const definition = tag?.body
      ? (JSON.parse(tag.body) as { kind?: string; valueType?: string })
      : null;
    if (!definition || definition.kind !== 'imported') {
      throw new SpoorError('definition_not_found', `No imported tag "${key}"`);
    }
    if (value !== null && typeof value !== definition.valueType) {
      throw new SpoorError(
        'invalid_tag_value',
        `value: the imported tag "${key}" holds a ${definition.valueType} (or null to clear it)`,
      );
    }
    await ctx.engine.setImported(profile.profileId, key, value === null ? undefined : value);
    const [engine] = await ctx.store.engineLoad([profile.profileId]);
    return engineView(engine?.results ?? null);
  });

  app.get('/v1/profiles/:ref/changes', async (request) => {
    const profile = found(await ctx.store.getProfile(param(request, 'ref')));
    const q = parseQuery(
      z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
      request,
    );
    const changes = await ctx.store.engineChanges(profile.profileId, q.limit);
    return {
      data: changes.map((c) => ({
        at: new Date(c.at).toISOString(),
        kind: c.kind,
        key: c.key,
        ...(JSON.parse(c.detail) as Record<string, unknown>),
      })),
    };
  });

  app.get('/v1/profiles/:ref/events', async (request, reply) => {
    const q = parseQuery(TimelineQuery, request);
    const rows = found(await ctx.store.profileEvents(param(request, 'ref'), q.cursor, q.limit));
    const last = rows.at(-1);
    const next = rows.length === q.limit && last ? `"${last.timestamp}.${last.seq}"` : 'null';
    return reply.type('application/json').send(`{"data":${eventsToJson(rows)},"next":${next}}`);
  });

  app.get('/v1/profiles/:ref/merges', async (request) => {
    const history = found(await ctx.store.profileHistory(param(request, 'ref')));
    return {
      profileId: history.profileId,
      links: history.links.map((l) => ({
        ...l,
        timestamp: iso(l.timestamp),
        recordedAt: iso(l.recordedAt),
        unlinkedAt: iso(l.unlinkedAt),
      })),
      history: history.history.map((h) => ({ ...h, at: iso(h.at) })),
    };
  });

  app.delete('/v1/profiles/:ref', async (request) => {
    const report = found(await ctx.store.eraseProfile(param(request, 'ref')));
    request.log.info(
      { profileId: report.profileId, events: report.events },
      'profile erased; its identifiers are suppressed',
    );
    return { erased: true, ...report };
  });

  app.delete('/v1/profiles/:ref/identities/:target', async (request) => {
    const result = await ctx.store.unlinkIdentifier(
      param(request, 'ref'),
      param(request, 'target'),
    );
    if (result.ok) {
      const { ok: _ok, ...unlinked } = result;
      return { unlinked: true, ...unlinked };
    }
    if (result.reason === 'unknown_profile') throw new SpoorError('profile_not_found');
    throw new SpoorError(
      'unlink_refused',
      result.reason === 'only_identifier'
        ? 'The profile has no other identifier: erase it instead'
        : 'The identifier does not belong to this profile',
    );
  });

  app.get('/v1/suppressions', async () => ({
    data: (await ctx.store.listSuppressions()).map((s) => ({ ...s, createdAt: iso(s.createdAt) })),
  }));

  app.delete('/v1/suppressions/:ref', async (request) => {
    const lifted = await ctx.store.liftSuppression(param(request, 'ref'));
    if (!lifted) throw new SpoorError('suppression_not_found');
    return { lifted: true };
  });
}

function resolveRef(
  text: string,
  rules: IdentityRules,
  normalize: ReturnType<typeof createNormalizer>,
): Identifier {
  const parsed = parseIdentifierRef(text);
  if (parsed && parsed.value.length > MAX_ID_LENGTH) {
    throw new SpoorError(
      'invalid_identity_ref',
      `The value is longer than ${MAX_ID_LENGTH} characters, so no identifier has it`,
    );
  }
  if (!parsed || !Object.hasOwn(rules.types, parsed.type)) {
    throw new SpoorError(
      'invalid_identity_ref',
      `"${text.slice(0, 100)}" is not {type}:{value} with a type among ${Object.keys(rules.types).join(', ')}`,
    );
  }
  const normalized = normalize(parsed.type, parsed.value);
  if (!normalized.ok) {
    const why = normalized.reason === 'junk' ? 'is a placeholder value' : normalized.message;
    throw new SpoorError('invalid_identity_ref', `The ${parsed.type} value ${why}`);
  }
  return { type: parsed.type, value: normalized.value };
}

function renderProfile(p: ProfileRecord) {
  return {
    profileId: p.profileId,
    identities: p.identities.map((i) => ({
      type: i.type,
      value: i.value,
      firstSeen: iso(i.createdAt),
    })),
    traits: p.traits,
    lifecycleStage: lifecycleStage(p.identities, p.purchased),
    firstSeen: iso(p.firstSeen),
    lastSeen: iso(p.lastSeen),
    channels: p.channels,
    merges: p.merges,
    createdAt: iso(p.createdAt),
  };
}

/**
 * A profile's tags and segments as the engine last evaluated them: tags with a value (unknown
 * ones left out), and the segments the profile is in.
 */
function engineView(results: string | null): { tags: Record<string, unknown>; segments: string[] } {
  const parsed = results
    ? (JSON.parse(results) as {
        tags?: Record<string, unknown>;
        segments?: Record<string, unknown>;
      })
    : {};
  return {
    tags: Object.fromEntries(
      Object.entries(parsed.tags ?? {}).filter(([, v]) => v !== undefined && v !== null),
    ),
    segments: Object.entries(parsed.segments ?? {})
      .filter(([, member]) => member === true)
      .map(([key]) => key)
      .sort(),
  };
}
