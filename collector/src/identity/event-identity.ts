import type { EventIssue, SpoorEvent } from '@spoor/schemas';
import { byPriority, type Identifier, type Normalized } from './identifiers.js';
import type { IdentityRules } from './rules.js';

/** The identifiers of one event, primary first; or why it has none that can be used. */
export type EventIdentity =
  | { ok: true; identifiers: Identifier[]; hashed: Record<string, string> }
  | { ok: false; issue: EventIssue };

/**
 * Reads every identifier an event carries — `userId`, `anonymousId`, alias's `previousId` (an
 * anonymous ID: see docs/identity.md) and the `identities` extension — normalises each, drops
 * junk values, and orders the rest by priority. An identity the sender typed explicitly but
 * which is malformed (a phone that is no phone number) refuses the event with a clear error; an
 * event left with no identifier at all is refused too, since it could belong to no profile.
 * `hashed` maps each sensitive `identities` type to its stored value, for the stored payload.
 */
export function readEventIdentity(
  event: SpoorEvent,
  rules: IdentityRules,
  normalize: (type: string, raw: string) => Normalized,
): EventIdentity {
  const found: [string, string, string][] = [];
  if (event.userId !== undefined) found.push(['user_id', String(event.userId), 'userId']);
  if (event.anonymousId !== undefined) {
    found.push(['anonymous_id', String(event.anonymousId), 'anonymousId']);
  }
  if (event.type === 'alias') found.push(['anonymous_id', String(event.previousId), 'previousId']);
  for (const [type, value] of Object.entries(event.identities ?? {})) {
    found.push([type, String(value), `identities.${type}`]);
  }
  const identifiers: Identifier[] = [];
  const hashed: Record<string, string> = {};
  for (const [type, raw, path] of found) {
    const normalized = normalize(type, raw);
    if (!normalized.ok) {
      if (normalized.reason === 'junk') continue;
      return {
        ok: false,
        issue: { code: 'invalid_identity', path, message: `${path} ${normalized.message}` },
      };
    }
    if (identifiers.some((i) => i.type === type && i.value === normalized.value)) continue;
    identifiers.push({ type, value: normalized.value });
    if (path.startsWith('identities.') && rules.types[type]?.sensitive) {
      hashed[type] = normalized.value;
    }
  }
  if (identifiers.length === 0) {
    return {
      ok: false,
      issue: {
        code: 'no_usable_identity',
        path: '',
        message: 'Every identifier of the event is a placeholder such as "null" or "0"',
      },
    };
  }
  return { ok: true, identifiers: identifiers.sort(byPriority(rules)), hashed };
}
