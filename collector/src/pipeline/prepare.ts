import { hash } from 'node:crypto';
import {
  EVENT_ERRORS,
  guardJson,
  validateEvent,
  type Context,
  type EventIssue,
  type EventType,
  type Limits,
  type SpoorEvent,
} from '@spoor/schemas';
import type { EventRow } from '../store/types.js';
import { correctTimestamp, parseTime } from './timestamps.js';
import type { ParsedUserAgent } from './user-agent.js';

/** What is common to every event of one request. */
export interface RequestContext {
  source: string;
  receivedAt: number;
  /** The client address as Fastify sees it (respecting trustProxy). */
  ip: string;
  /** Set by the single-event endpoints (`/v1/track` …): the type the path implies. */
  pathType?: EventType;
  /** Batch-level fields that apply to every event in the batch. */
  batch?: { context?: Context; integrations?: Record<string, unknown>; sentAt?: string };
}

/** Per-collector settings {@link prepareEvent} needs. */
export interface PrepareSettings {
  limits: Limits;
  identityTypes: ReadonlySet<string>;
  maxFutureMs: number;
  maxPastMs: number;
  parseUserAgent: (ua: string) => ParsedUserAgent;
}

/** The result of {@link prepareEvent}. */
export type Prepared =
  { ok: true; row: EventRow } | { ok: false; messageId: string | null; errors: EventIssue[] };

const issue = (
  code: EventIssue['code'],
  path = '',
  message: string = EVENT_ERRORS[code],
): EventIssue => ({
  code,
  path,
  message,
});

/**
 * Turns one received event into a row to store, or into the reasons it is refused: bounds
 * check, schema validation, then normalisation (ids as strings, a messageId for events without
 * one, batch context merged) and enrichment (corrected timestamp, receipt time, IP, parsed UA).
 */
export function prepareEvent(
  raw: unknown,
  req: RequestContext,
  settings: PrepareSettings,
): Prepared {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, messageId: null, errors: [issue('invalid_event')] };
  }
  const input = raw as Record<string, unknown>;
  // The write key authenticates the request; it is never stored, not even with a rejection.
  if (input['writeKey'] !== undefined) input['writeKey'] = undefined;
  const sentMessageId = typeof input['messageId'] === 'string' ? input['messageId'] : null;
  const reject = (...errors: EventIssue[]): Prepared => ({
    ok: false,
    messageId: sentMessageId,
    errors,
  });

  const guard = guardJson(input, settings.limits);
  if (!guard.ok) return reject(guard.error);
  if (guard.value > settings.limits.maxEventBytes) {
    return reject(
      issue(
        'event_too_large',
        '',
        `The event is ${guard.value} bytes; the limit is ${settings.limits.maxEventBytes}`,
      ),
    );
  }
  if (req.pathType) {
    if (input['type'] !== undefined && input['type'] !== req.pathType) {
      return reject(
        issue('invalid_field', 'type', `type must be "${req.pathType}" on this endpoint`),
      );
    }
    input['type'] = req.pathType;
  }
  if (input['operations'] !== undefined && input['type'] !== 'identify')
    return reject(issue('operations_not_allowed', 'operations'));

  const validated = validateEvent(input);
  if (!validated.ok) return reject(...validated.errors);
  const event = validated.value;
  const unknownType = Object.keys(event.identities ?? {}).find(
    (t) => !settings.identityTypes.has(t),
  );
  if (unknownType !== undefined) {
    return reject(
      issue(
        'unknown_identity_type',
        `identities.${unknownType}`,
        `Identity type "${unknownType}" is not configured`,
      ),
    );
  }

  // sentAt changes with every attempt, so it stays out of the fingerprint (once validated).
  const sentAt = event.sentAt;
  input['sentAt'] = undefined;
  const sentJson = JSON.stringify(input);
  const fingerprint = hash('sha1', sentJson, 'base64').slice(0, 16);
  const times = resolveTimes(
    event,
    sentAt ?? req.batch?.sentAt,
    req.receivedAt,
  );
  if (
    times.timestamp > req.receivedAt + settings.maxFutureMs ||
    times.timestamp < req.receivedAt - settings.maxPastMs
  ) {
    return reject(
      issue(
        'timestamp_out_of_range',
        'timestamp',
        `The corrected timestamp ${new Date(times.timestamp).toISOString()} is out of range`,
      ),
    );
  }

  const messageId = event.messageId ?? `spoor-${hash('sha1', sentJson, 'hex')}`;
  const enriched = enrich(event, req, settings, messageId, times);
  return {
    ok: true,
    row: {
      source: req.source,
      messageId,
      fingerprint,
      type: event.type,
      name: nameOf(event),
      anonymousId: (enriched['anonymousId'] as string | undefined) ?? null,
      userId: (enriched['userId'] as string | undefined) ?? null,
      timestamp: times.timestamp,
      receivedAt: req.receivedAt,
      payload: JSON.stringify(enriched),
    },
  };
}

interface Times {
  original: number | null;
  sentAt: number | null;
  timestamp: number;
}

function resolveTimes(event: SpoorEvent, sentAt: string | undefined, receivedAt: number): Times {
  const original = parseTime(event.originalTimestamp ?? event.timestamp);
  const sent = parseTime(sentAt);
  return {
    original,
    sentAt: sent,
    timestamp: correctTimestamp({ original, sentAt: sent, receivedAt }),
  };
}

function enrich(
  event: SpoorEvent,
  req: RequestContext,
  settings: PrepareSettings,
  messageId: string,
  times: Times,
): Record<string, unknown> {
  const context: Record<string, unknown> = { ...req.batch?.context, ...event.context };
  context['ip'] ??= req.ip;
  if (typeof context['userAgent'] === 'string') {
    const ua = settings.parseUserAgent(context['userAgent']);
    if (ua.browser) context['browser'] ??= ua.browser;
    if (ua.os) context['os'] ??= ua.os;
    if (ua.device)
      context['device'] = { ...ua.device, ...(context['device'] as object | undefined) };
  }
  const out = { ...event, messageId, context } as Record<string, unknown>;
  for (const key of ['userId', 'anonymousId', 'groupId', 'previousId'] as const) {
    if (typeof out[key] === 'number') out[key] = String(out[key]);
  }
  if (event.identities) {
    out['identities'] = Object.fromEntries(
      Object.entries(event.identities).map(([t, v]) => [t, String(v)]),
    );
  }
  if (req.batch?.integrations || event.integrations) {
    out['integrations'] = { ...req.batch?.integrations, ...event.integrations };
  }
  if (times.original !== null) out['originalTimestamp'] = new Date(times.original).toISOString();
  out['timestamp'] = new Date(times.timestamp).toISOString();
  out['sentAt'] = times.sentAt === null ? undefined : new Date(times.sentAt).toISOString();
  out['receivedAt'] = new Date(req.receivedAt).toISOString();
  return out;
}

function nameOf(event: SpoorEvent): string | null {
  if (event.type === 'track') return event.event;
  if (event.type === 'page' || event.type === 'screen') return event.name ?? null;
  return null;
}
