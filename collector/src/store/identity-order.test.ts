import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readEventIdentity } from '../identity/event-identity.js';
import { createNormalizer } from '../identity/identifiers.js';
import { defaultIdentityRules } from '../identity/rules.js';
import type { SpoorEvent } from '@spoor/schemas';
import { SqliteCore } from './sqlite-core.js';
import type { EventRow } from './types.js';

const TYPES = ['wechat_openid', 'wechat_unionid', 'phone', 'email', 'member_id', 'device_id'];
const rules = defaultIdentityRules(TYPES);
const normalize = createNormalizer(rules);
const dir = mkdtempSync(join(tmpdir(), 'spoor-order-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Spec = [minute: number, type: string, fields: Record<string, unknown>];
/** A story with every kind of link: login, second device, alias, shared device, phone conflicts. */
const STORY: Spec[] = [
  [1, 'page', { anonymousId: 'A' }],
  [2, 'identify', { anonymousId: 'A', userId: 'u1', traits: { plan: 'free' } }],
  [3, 'track', { anonymousId: 'A' }],
  [4, 'identify', { anonymousId: 'A', userId: 'u2', traits: { plan: 'pro' } }],
  [5, 'identify', { anonymousId: 'B', userId: 'u1', traits: { plan: 'gold' } }],
  [6, 'alias', { userId: 'u1', previousId: 'C' }],
  [7, 'track', { anonymousId: 'D', identities: { phone: '13800138000' } }],
  [8, 'identify', { userId: 'u2', identities: { phone: '13800138000' } }],
  [9, 'identify', { userId: 'u1', identities: { phone: '13900139000' } }],
  [0, 'track', { anonymousId: 'A', identities: { device_id: 'X' } }],
  [10, 'identify', { anonymousId: 'E', userId: 'u3', identities: { phone: '13800138000' } }],
  [11, 'track', { anonymousId: 'X2', identities: { device_id: 'X' } }],
  [12, 'track', { anonymousId: 'C', event: 'Order Completed' }],
];

function rowOf([minute, type, fields]: Spec, i: number): EventRow {
  const event = { type, event: 'Viewed', ...fields } as unknown as SpoorEvent;
  const identity = readEventIdentity(event, rules, normalize);
  if (!identity.ok) throw new Error(identity.issue.message);
  const t = Date.UTC(2026, 10, 20, 8, minute);
  return {
    source: 'web',
    messageId: `m${i}`,
    fingerprint: 'f',
    type,
    name: null,
    anonymousId: null,
    userId: null,
    timestamp: t,
    receivedAt: t,
    payload: JSON.stringify({ ...event, messageId: `m${i}` }),
    identifiers: JSON.stringify(identity.identifiers.map((x) => [x.type, x.value])),
    channel: 'web',
    ops: type === 'identify' ? JSON.stringify({ set: fields['traits'] ?? {} }) : null,
    purchase: fields['event'] === 'Order Completed',
  };
}

const REFS = [
  ['anonymous_id', 'A'],
  ['anonymous_id', 'B'],
  ['anonymous_id', 'C'],
  ['anonymous_id', 'D'],
  ['anonymous_id', 'E'],
  ['anonymous_id', 'X2'],
  ['user_id', 'u1'],
  ['user_id', 'u2'],
  ['user_id', 'u3'],
  ['phone', '+8613800138000'],
  ['phone', '+8613900139000'],
  ['device_id', 'X'],
].map(([type = '', value = '']) => ({ type, value }));

let run = 0;
/** Ingests the rows in the given order and groups; returns the resulting profiles. */
function resolve(order: readonly number[], groupSize: number) {
  const core = new SqliteCore({
    file: join(dir, `order-${run++}.db`),
    sync: 'normal',
    maxRejections: 10,
    identity: { rules, cacheSize: 3, maxRecompute: 1000 },
  });
  const rows = STORY.map(rowOf);
  for (let i = 0; i < order.length; i += groupSize) {
    core.commit({
      rows: order.slice(i, i + groupSize).map((o) => rows[o] as EventRow),
      rejections: [],
    });
  }
  const profiles = new Map<number, string>();
  for (const ref of REFS) {
    const p = core.getProfile(ref);
    if (!p) throw new Error(`no profile for ${ref.type}:${ref.value}`);
    const events = core.profileEvents(ref, undefined, 100) ?? [];
    const ids = p.identities.map((x) => `${x.type}:${x.value}`).sort();
    const messages = events
      .map((e) => (JSON.parse(e.payload) as { messageId: string }).messageId)
      .sort();
    profiles.set(
      p.profileId,
      JSON.stringify({ ids, messages, traits: p.traits, purchased: p.purchased }),
    );
  }
  core.close();
  return [...profiles.values()].sort();
}

/** A deterministic shuffle (mulberry32), so a failure can be replayed. */
function shuffled(n: number, seed: number): number[] {
  let s = seed;
  const random = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

describe('identity resolution is independent of arrival order', () => {
  const byTime = STORY.map((s, i) => [s[0], i] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, i]) => i);
  const expected = resolve(byTime, 1);

  it('resolves the story as docs/identity.md says', () => {
    const parsed = expected.map((p) => JSON.parse(p) as { ids: string[]; traits: object });
    expect(parsed.map((p) => p.ids)).toEqual([
      [
        'anonymous_id:A',
        'anonymous_id:B',
        'anonymous_id:C',
        'anonymous_id:X2',
        'device_id:X',
        'phone:+8613900139000',
        'user_id:u1',
      ],
      ['anonymous_id:D', 'phone:+8613800138000', 'user_id:u2'],
      ['anonymous_id:E', 'user_id:u3'],
    ]);
    expect(parsed.map((p) => p.traits)).toEqual([{ plan: 'gold' }, { plan: 'pro' }, {}]);
  });

  it('gives the same profiles, timelines and traits for 150 shuffled orders and group sizes', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const order = shuffled(STORY.length, seed);
      expect(resolve(order, 1 + (seed % 4)), `seed ${seed}: ${order.join(',')}`).toEqual(expected);
    }
  });

  it('gives the same profiles in reverse time order, one event per commit', () => {
    expect(resolve([...byTime].reverse(), 1)).toEqual(expected);
  });
});
