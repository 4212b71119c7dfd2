import {
  DEFAULT_LIMITS,
  DefinitionKeySchema,
  DestinationSchema,
  guardJson,
  SegmentDefinitionSchema,
  TagDefinitionSchema,
} from '@spoor/schemas';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { CollectorContext } from '../context.js';
import {
  checkDefinitionSet,
  storedDefinitionSet,
  type DefinitionSet,
} from '../definitions/check.js';
import { SpoorError } from '../errors.js';
import type { DefinitionKind, DefinitionRecord } from '../store/types.js';
import { requireAdmin } from './auth.js';
import { parseQuery } from './read-api.js';

const MembersQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.coerce.number().int().min(0).optional(),
});

const KINDS = {
  tags: { kind: 'tag', schema: TagDefinitionSchema },
  segments: { kind: 'segment', schema: SegmentDefinitionSchema },
  destinations: { kind: 'destination', schema: DestinationSchema },
} as const satisfies Record<string, { kind: DefinitionKind; schema: z.ZodType }>;

/**
 * The admin API for tag and segment definitions: `PUT /v1/tags/{key}` (and segments) stores a
 * new version when the body validates and every definition it names exists; `GET` lists or
 * reads one (with `/versions`); `DELETE` records a deletion unless other definitions use it.
 * Writes are serialised, so two edits cannot each pass the reference check against a set the
 * other is changing.
 */
export async function definitionRoutes(app: FastifyInstance, ctx: CollectorContext): Promise<void> {
  app.addHook('onRequest', async (request) => requireAdmin(request, ctx.config.adminToken));
  let writing: Promise<unknown> = Promise.resolve();
  const serially = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = writing.then(fn, fn);
    writing = run.catch(() => undefined);
    return run;
  };

  app.get('/v1/segments/:key/members', async (request) => {
    const key = keyOf(request);
    if (!(await ctx.store.getDefinition('segment', key)))
      throw new SpoorError('definition_not_found');
    const q = parseQuery(MembersQuery, request);
    const members = await ctx.store.segmentMembers(key, q.cursor ?? 0, q.limit);
    return {
      size: await ctx.store.segmentSize(key),
      data: members.map((m) => ({
        profileId: m.profileId,
        since: new Date(m.since).toISOString(),
      })),
      next: members.length === q.limit ? String(members[members.length - 1]?.profileId) : null,
    };
  });

  app.get('/v1/engine', async () => ({ backfill: ctx.engine.progress }));

  app.get('/v1/destinations/:key/stats', async (request) => {
    const key = keyOf(request);
    if (!(await ctx.store.getDefinition('destination', key))) {
      throw new SpoorError('definition_not_found');
    }
    return { data: await ctx.store.activationCounts(key) };
  });

  for (const [plural, { kind, schema }] of Object.entries(KINDS)) {
    app.get(`/v1/${plural}`, async () => ({
      data: (await ctx.store.listDefinitions(kind)).map(view),
    }));

    app.get(`/v1/${plural}/:key`, async (request) => {
      const found = await ctx.store.getDefinition(kind, keyOf(request));
      if (!found) throw new SpoorError('definition_not_found');
      return view(found);
    });

    app.get(`/v1/${plural}/:key/versions`, async (request) => {
      const versions = await ctx.store.definitionVersions(kind, keyOf(request));
      if (versions.length === 0) throw new SpoorError('definition_not_found');
      return { data: versions.map(view) };
    });

    app.put(`/v1/${plural}/:key`, async (request, reply) => {
      const key = keyOf(request);
      const definition = validate(schema as z.ZodType<unknown>, request.body) as never;
      const stored = await serially(async () => {
        const set = await storedDefinitionSet(ctx.store);
        if (kind === 'destination') reject(unknownSegments(set, definition));
        else set[plural === 'tags' ? 'tags' : 'segments'][key] = definition;
        reject(checkDefinitionSet(set));
        const stored = await ctx.store.putDefinition(
          kind,
          key,
          JSON.stringify(definition),
          Date.now(),
        );
        if (stored.changed) await reloadFor(ctx, kind);
        return stored;
      });
      return reply.code(stored.version === 1 && stored.changed ? 201 : 200).send(view(stored));
    });

    app.delete(`/v1/${plural}/:key`, async (request, reply) => {
      const key = keyOf(request);
      await serially(async () => {
        const set = await storedDefinitionSet(ctx.store);
        if (kind !== 'destination') {
          const own = set[plural === 'tags' ? 'tags' : 'segments'];
          if (!(key in own)) throw new SpoorError('definition_not_found');
          delete own[key];
          const errors = checkDefinitionSet(set);
          if (kind === 'segment') errors.push(...(await destinationsNaming(ctx, key)));
          if (errors.length > 0) {
            throw new SpoorError('definition_in_use', `Still used: ${errors.join('; ')}`);
          }
        }
        if (!(await ctx.store.deleteDefinition(kind, key, Date.now()))) {
          throw new SpoorError('definition_not_found');
        }
        await reloadFor(ctx, kind);
      });
      return reply.code(204).send();
    });
  }
}

function keyOf(request: FastifyRequest): string {
  const key = (request.params as { key?: string }).key ?? '';
  const parsed = DefinitionKeySchema.safeParse(key);
  if (!parsed.success) {
    throw new SpoorError('invalid_definition', `key: ${parsed.error.issues[0]?.message ?? ''}`);
  }
  return parsed.data;
}

/** The body as a definition, or a clear `invalid_definition` naming each faulty field. */
function validate<T>(schema: z.ZodType<T>, body: unknown): T {
  const value = jsonBody(body);
  const guard = guardJson(value, DEFAULT_LIMITS);
  if (!guard.ok) throw new SpoorError('invalid_definition', guard.error.message);
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    reject(parsed.error.issues.map((i) => `${i.path.join('.') || 'definition'}: ${i.message}`));
  }
  return parsed.data as T;
}

/** An admin request's JSON body (the body parser leaves bytes), or `invalid_json`. */
export function jsonBody(body: unknown): unknown {
  try {
    return JSON.parse(Buffer.isBuffer(body) ? body.toString('utf8') : 'null') as unknown;
  } catch {
    throw new SpoorError('invalid_json');
  }
}

function reject(errors: string[]): void {
  if (errors.length > 0) {
    throw new SpoorError('invalid_definition', `Invalid definition: ${errors.join('; ')}`);
  }
}

function view(record: DefinitionRecord) {
  const definition =
    record.body === null ? null : (JSON.parse(record.body) as Record<string, unknown>);
  // A destination's secret is written, never read back.
  if (definition && record.kind === 'destination') definition['secret'] = '********';
  return {
    key: record.key,
    version: record.version,
    updatedAt: new Date(record.createdAt).toISOString(),
    definition,
  };
}

/** A changed tag or segment is backfilled; a changed destination restarts delivery. */
async function reloadFor(ctx: CollectorContext, kind: DefinitionKind): Promise<void> {
  if (kind === 'destination') await ctx.activation.reload();
  else await ctx.engine.reload(true);
}

/** A destination may only name segments that exist. */
function unknownSegments(set: DefinitionSet, destination: { segments?: string[] }): string[] {
  return (destination.segments ?? [])
    .map((key, i) => [key, i] as const)
    .filter(([key]) => !(key in set.segments))
    .map(([key, i]) => `segments.${i}: unknown segment "${key}"`);
}

/** Destinations that receive a segment's changes, as reasons not to delete it. */
async function destinationsNaming(ctx: CollectorContext, segment: string): Promise<string[]> {
  const destinations = await ctx.store.listDefinitions('destination');
  return destinations
    .filter((d) =>
      (JSON.parse(d.body ?? '{}') as { segments?: string[] }).segments?.includes(segment),
    )
    .map((d) => `destinations.${d.key}.segments: names "${segment}"`);
}
