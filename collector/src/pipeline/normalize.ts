import type { SpoorEvent } from '@spoor/schemas';
import type { RequestContext, PrepareSettings } from './prepare.js';

/** Fields the server sets itself; a client's values for them are not copied into the event. */
const SERVER_FIELDS = new Set([
  'context',
  'messageId',
  'timestamp',
  'originalTimestamp',
  'sentAt',
  'receivedAt',
]);
const ID_FIELDS = new Set(['userId', 'anonymousId', 'groupId', 'previousId']);
const CONTEXT_OPEN = '{"context":{';

/**
 * The event as the client meant it, normalised: batch context merged in, ids as strings, the
 * user agent parsed into `context.browser/os/device`, the client's own time as
 * `originalTimestamp`. It holds nothing that changes from one delivery attempt to the next, so
 * its JSON identifies the payload (the dedupe fingerprint). `context` is always its first key,
 * which lets {@link assemblePayload} add the server's fields as text instead of serialising twice.
 */
export function normalize(
  event: SpoorEvent,
  req: RequestContext,
  settings: PrepareSettings,
): Record<string, unknown> {
  const context: Record<string, unknown> = req.batch?.context
    ? { ...req.batch.context, ...event.context }
    : (event.context ?? {});
  const ua = context['userAgent'];
  if (typeof ua === 'string') {
    const parsed = settings.parseUserAgent(ua);
    if (parsed.browser) context['browser'] ??= parsed.browser;
    if (parsed.os) context['os'] ??= parsed.os;
    if (parsed.device)
      context['device'] = { ...parsed.device, ...(context['device'] as object | undefined) };
  }
  const out: Record<string, unknown> = { context };
  const source = event as Record<string, unknown>;
  for (const key in source) {
    const value = source[key];
    if (value === undefined || SERVER_FIELDS.has(key)) continue;
    out[key] = typeof value === 'number' && ID_FIELDS.has(key) ? String(value) : value;
  }
  if (event.identities) {
    const identities: Record<string, string> = {};
    for (const type in event.identities) identities[type] = String(event.identities[type]);
    out['identities'] = identities;
  }
  if (req.batch?.integrations)
    out['integrations'] = { ...req.batch.integrations, ...event.integrations };
  const original = event.originalTimestamp ?? event.timestamp;
  if (original !== undefined) out['originalTimestamp'] = original;
  return out;
}

/** Server-side fields of the stored event; they differ between attempts to deliver it. */
export interface ServerFields {
  messageId: string;
  /** Corrected event time, ISO-8601 UTC. */
  timestamp: string;
  receivedAt: string;
  /** The client's `sentAt`, as sent. */
  sentAt: string | undefined;
  /** The connection's address, added as `context.ip` unless the client gave one. */
  ip: string | null;
}

/**
 * The stored event's JSON: `stable` (the JSON of {@link normalize}'s result) with the server's
 * fields spliced in. When a top-level key such as `"0"` made JSON put something before `context`,
 * the splice cannot be used and `null` is returned.
 */
export function assemblePayload(stable: string, fields: ServerFields): string | null {
  if (!stable.startsWith(CONTEXT_OPEN)) return null;
  let body = stable.slice(1);
  if (fields.ip !== null) {
    const rest = stable.slice(CONTEXT_OPEN.length);
    body = `"context":{"ip":${JSON.stringify(fields.ip)}${rest.startsWith('}') ? '' : ','}${rest}`;
  }
  const sentAt = fields.sentAt === undefined ? '' : `,"sentAt":${JSON.stringify(fields.sentAt)}`;
  return `{"messageId":${JSON.stringify(fields.messageId)},"timestamp":"${fields.timestamp}","receivedAt":"${fields.receivedAt}"${sentAt},${body}`;
}
