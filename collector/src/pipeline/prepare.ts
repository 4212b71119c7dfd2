import { hash, randomUUID } from 'node:crypto';
import {
  EVENT_ERRORS,
  guardJson,
  type Context,
  type EventIssue,
  type EventType,
  type EventValidation,
  type Limits,
  type SpoorEvent,
} from '@spoor/schemas';
import { channelOf, profileOpsOf } from '../identity/event-facts.js';
import { readEventIdentity } from '../identity/event-identity.js';
import type { Normalized } from '../identity/identifiers.js';
import type { IdentityRules } from '../identity/rules.js';
import type { EventRow } from '../store/types.js';
import { correctTimestamp, parseTime } from './timestamps.js';
import { assemblePayload, normalize, type ServerFields } from './normalize.js';
import type { ParsedUserAgent } from './user-agent.js';

/** What is common to every event of one request. */
export interface RequestContext {
  source: string;
  receivedAt: number;
  /** `receivedAt` as ISO-8601, formatted once per request. */
  receivedAtIso?: string;
  /** The client address as Fastify sees it (respecting trustProxy). */
  ip: string;
  /** Set by the single-event endpoints (`/v1/track` …): the type the path implies. */
  pathType?: EventType;
  /** Batch-level fields that apply to every event in the batch. */
  batch?: {
    context?: Context;
    integrations?: Record<string, unknown>;
    sentAt?: string;
    /** JSON size of the batch-level context and integrations, merged into every event. */
    bytes?: number;
  };
}

/** Per-collector settings {@link prepareEvent} needs. */
export interface PrepareSettings {
  limits: Limits;
  identityTypes: ReadonlySet<string>;
  maxFutureMs: number;
  maxPastMs: number;
  parseUserAgent: (ua: string) => ParsedUserAgent;
  /** Schema validation; see validate.ts. */
  validate: (event: unknown) => EventValidation;
  /** Identity rules and the identifier normaliser; null when identity resolution is off. */
  identity: { rules: IdentityRules; normalize: (type: string, raw: string) => Normalized } | null;
  /** Event names that count as purchases. */
  purchaseEvents: ReadonlySet<string>;
}

/** The result of {@link prepareEvent}. */
export type Prepared =
  | { ok: true; row: EventRow & { payload: string } }
  | { ok: false; messageId: string | null; errors: EventIssue[] };

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
 * The event is serialised once: its normalised JSON is both fingerprinted and stored.
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
  // Deleted, not set to undefined: the guard below refuses undefined as a non-JSON value.
  if (input['writeKey'] !== undefined) delete input['writeKey'];
  const sentMessageId = typeof input['messageId'] === 'string' ? input['messageId'] : null;
  const reject = (...errors: EventIssue[]): Prepared => ({
    ok: false,
    messageId: sentMessageId,
    errors,
  });

  const guard = guardJson(input, settings.limits);
  if (!guard.ok) return reject(guard.error);
  // Batch-level fields are merged into the event, so they count toward its size: otherwise a
  // large batch context would be stored once per event, far beyond what the request carried.
  const bytes = guard.value + (req.batch?.bytes ?? 0);
  if (bytes > settings.limits.maxEventBytes) {
    const shared = req.batch?.bytes ? ' with its batch-level context and integrations' : '';
    return reject(
      issue(
        'event_too_large',
        '',
        `The event${shared} is ${bytes} bytes; the limit is ${settings.limits.maxEventBytes}`,
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

  const validated = settings.validate(input);
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

  const sentAt = event.sentAt ?? req.batch?.sentAt;
  const timestamp = correctTimestamp({
    original: parseTime(event.originalTimestamp ?? event.timestamp),
    sentAt: parseTime(sentAt),
    receivedAt: req.receivedAt,
  });
  if (
    timestamp > req.receivedAt + settings.maxFutureMs ||
    timestamp < req.receivedAt - settings.maxPastMs
  ) {
    const iso = new Date(timestamp).toISOString();
    return reject(
      issue(
        'timestamp_out_of_range',
        'timestamp',
        `The corrected timestamp ${iso} is out of range`,
      ),
    );
  }

  let identifiers: string | null = null;
  const normalized = normalize(event, req, settings);
  if (settings.identity) {
    const identity = readEventIdentity(event, settings.identity.rules, settings.identity.normalize);
    if (!identity.ok) return reject(identity.issue);
    identifiers = JSON.stringify(identity.identifiers.map((i) => [i.type, i.value]));
    // Sensitive identities are stored as their HMAC, in the payload as in the graph.
    const ids = normalized['identities'] as Record<string, string> | undefined;
    if (ids) Object.assign(ids, identity.hashed);
  }
  const clientIp = 'ip' in (normalized['context'] as object);
  const stable = JSON.stringify(normalized);
  const digest = hash('sha1', stable, 'hex');
  const fields: ServerFields = {
    messageId: event.messageId ?? derivedMessageId(event, digest),
    timestamp: new Date(timestamp).toISOString(),
    receivedAt: (req.receivedAtIso ??= new Date(req.receivedAt).toISOString()),
    sentAt,
    ip: clientIp ? null : req.ip,
  };
  const payload = assemblePayload(stable, fields) ?? slowPayload(normalized, fields);
  return {
    ok: true,
    row: {
      source: req.source,
      messageId: fields.messageId,
      fingerprint: digest.slice(0, 16),
      type: event.type,
      name: nameOf(event),
      anonymousId: (normalized['anonymousId'] as string | undefined) ?? null,
      userId: (normalized['userId'] as string | undefined) ?? null,
      timestamp,
      receivedAt: req.receivedAt,
      payload,
      identifiers,
      channel: channelOf(normalized),
      ops: event.type === 'identify' ? opsJson(normalized) : null,
      purchase: event.type === 'track' && settings.purchaseEvents.has(event.event),
    },
  };
}

/**
 * An id for an event sent without one. With its own timestamp, the event's content identifies
 * it, so a blind retry of the same bytes is still recognised; without one, two identical events
 * may well be two real occurrences, and each gets a random id (as Segment does).
 */
function derivedMessageId(event: SpoorEvent, digest: string): string {
  const timed = event.originalTimestamp !== undefined || event.timestamp !== undefined;
  return timed ? `spoor-${digest}` : `spoor-${randomUUID()}`;
}

function opsJson(event: Record<string, unknown>): string | null {
  const ops = profileOpsOf(event);
  return ops === null ? null : JSON.stringify(ops);
}

/** The payload for the rare event whose keys keep `context` from leading its JSON. */
function slowPayload(normalized: Record<string, unknown>, fields: ServerFields): string {
  const context = normalized['context'] as Record<string, unknown>;
  if (fields.ip !== null) context['ip'] = fields.ip;
  const { ip: _ip, ...server } = fields;
  return JSON.stringify({ ...server, ...normalized });
}

function nameOf(event: SpoorEvent): string | null {
  if (event.type === 'track') return event.event;
  if (event.type === 'page' || event.type === 'screen') return event.name ?? null;
  return null;
}
