import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { postBatch, type TestCollector } from './kit.js';

/** Base time of scenario events: each `at(n)` is n minutes after it. */
const BASE = Date.parse('2026-11-20T08:00:00.000Z');
export const at = (minutes: number) => new Date(BASE + minutes * 60_000).toISOString();

type Fields = Record<string, unknown>;

/** An event at minute `minute` with a fresh messageId (or the given one). */
export function event(type: string, minute: number, fields: Fields = {}): Fields {
  return {
    type,
    messageId: randomUUID(),
    timestamp: at(minute),
    context: { library: { name: '@spoor/web', version: '0.1.0' } },
    ...(type === 'track' ? { event: 'Page Scrolled' } : {}),
    ...fields,
  };
}

/** Sends events over real HTTP and expects them stored. */
export async function send(
  c: TestCollector,
  ...events: Fields[]
): Promise<Record<string, unknown>> {
  const res = await postBatch(c.url, c.writeKey, events);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** GETs an admin API path over real HTTP. */
export async function admin(
  c: TestCollector,
  path: string,
  method = 'GET',
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${c.url}${path}`, { method, headers: { authorization: c.bearer } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The profile holding `ref` (`type:value`), as the API returns it. */
export async function profile(c: TestCollector, ref: string): Promise<Profile> {
  const res = await admin(c, `/v1/profiles/${encodeURIComponent(ref)}`);
  expect(res.status, `${ref}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body as unknown as Profile;
}

/** A profile as the API returns it. */
export interface Profile {
  profileId: number;
  identities: { type: string; value: string }[];
  traits: Record<string, unknown>;
  lifecycleStage: string;
  channels: string[];
  firstSeen: string | null;
  lastSeen: string | null;
  merges: number;
}

/** The profile's identifiers as sorted `type:value` strings. */
export const idsOf = (p: Profile) => p.identities.map((i) => `${i.type}:${i.value}`).sort();

/** The whole timeline of a profile, newest first, following `next`. */
export async function timeline(c: TestCollector, ref: string, limit = 100): Promise<Fields[]> {
  const out: Fields[] = [];
  let cursor: string | null = null;
  do {
    const q: string = `limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const res = await admin(c, `/v1/profiles/${encodeURIComponent(ref)}/events?${q}`);
    expect(res.status).toBe(200);
    const body = res.body as { data: { event: Fields }[]; next: string | null };
    out.push(...body.data.map((d) => d.event));
    cursor = body.next;
  } while (cursor);
  return out;
}

/**
 * The partition of the given identifiers into profiles, as sorted groups of `type:value`:
 * comparable between collectors whatever profile IDs each assigned.
 */
export async function partition(c: TestCollector, refs: readonly string[]): Promise<string[][]> {
  const groups = new Map<number, string[]>();
  for (const ref of refs) {
    const p = await profile(c, ref);
    groups.set(p.profileId, idsOf(p));
  }
  return [...groups.values()].sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}
