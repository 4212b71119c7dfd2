import { createHmac } from 'node:crypto';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { IdentityRules } from './rules.js';

/** A typed identifier, its value normalised (and hashed for sensitive types). */
export interface Identifier {
  type: string;
  value: string;
}

/** Why a value is not used as an identifier. */
export type Unusable = { reason: 'junk' } | { reason: 'invalid'; message: string };

/** A normalised value, or why there is none. */
export type Normalized = { ok: true; value: string } | ({ ok: false } & Unusable);

/** Values SDKs and integrations send by mistake; compared lower-cased after trimming. */
const JUNK = new Set(['', 'null', 'undefined', 'nan', '0', '-1', 'anonymous', '[object object]']);
const ALL_ZERO = /^[0\s:._-]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The prefix of a hashed value, so that a stored value tells what it is. */
export const HASHED_PREFIX = 'h:';

/**
 * Builds the per-type normaliser: trims, refuses junk values, writes phone numbers in E.164
 * (numbers without a country code take the configured region) and e-mail addresses in lower
 * case, then hashes the values of sensitive types with the deployment's HMAC key, so that the
 * same number always maps to the same stored value and lookups keep working.
 */
export function createNormalizer(rules: IdentityRules): (type: string, raw: string) => Normalized {
  const blocked = rules.blockedPattern === null ? null : new RegExp(rules.blockedPattern, 'u');
  const secret = rules.secret;
  if (secret === null && Object.values(rules.types).some((r) => r.sensitive)) {
    throw new Error('sensitive identity types need an identity secret');
  }
  return (type, raw) => {
    const trimmed = raw.trim();
    if (JUNK.has(trimmed.toLowerCase()) || (ALL_ZERO.test(trimmed) && /0/.test(trimmed))) {
      return { ok: false, reason: 'junk' };
    }
    const typed = byType(type, trimmed, rules.phoneRegion);
    if (!typed.ok) return typed;
    if (blocked?.test(typed.value)) return { ok: false, reason: 'junk' };
    if (secret === null || rules.types[type]?.sensitive !== true) return typed;
    const mac = createHmac('sha256', secret).update(`${type}\0${typed.value}`).digest('base64url');
    return { ok: true, value: HASHED_PREFIX + mac };
  };
}

function byType(type: string, value: string, region: string): Normalized {
  if (type === 'email') {
    const email = value.toLowerCase();
    return EMAIL.test(email)
      ? { ok: true, value: email }
      : { ok: false, reason: 'invalid', message: 'is not an e-mail address' };
  }
  if (type === 'phone') {
    const phone = parsePhoneNumberFromString(value, region as CountryCode);
    return phone?.isPossible()
      ? { ok: true, value: phone.number }
      : { ok: false, reason: 'invalid', message: 'is not a phone number' };
  }
  return { ok: true, value };
}

/** The key of an identifier in maps and on the wire: `type:value`. */
export function identifierKey(id: Identifier): string {
  return `${id.type}:${id.value}`;
}

/** Parses `type:value` (as in `/v1/profiles/phone:+8613800000000`); null if there is no type. */
export function parseIdentifierRef(ref: string): Identifier | null {
  const colon = ref.indexOf(':');
  if (colon <= 0) return null;
  return { type: ref.slice(0, colon), value: ref.slice(colon + 1) };
}

/**
 * Orders an event's identifiers: highest priority first, then by type and value, so that the
 * first one is the event's primary identifier and the order never depends on how it was sent.
 */
export function byPriority(rules: IdentityRules): (a: Identifier, b: Identifier) => number {
  const priority = (id: Identifier) => rules.types[id.type]?.priority ?? 0;
  return (a, b) =>
    priority(b) - priority(a) || compare(a.type, b.type) || compare(a.value, b.value);
}

/** Code-unit order, the same in every locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
