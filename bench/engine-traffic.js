// Histories for the engine benchmark: who did what when, in time order, and each event's
// payload as the collector stores it. Activity is heavy-tailed (a few people do much more than
// most) and comes in sessions a few seconds to two minutes apart, a quarter of them a shopping
// funnel (view, add, checkout, order) so that sequences and "added but did not order" happen.
import { callOf, createDice, EVENTS, personTraits } from './engine-vocabulary.js';

/** The kind index of an identify call (the others index EVENTS). */
export const IDENTIFY = EVENTS.length;
const KIND = Object.fromEntries(EVENTS.map(([name], i) => [name, i]));
const FUNNEL = ['Product Viewed', 'Product Added', 'Checkout Started', 'Order Completed'];

/**
 * `events` events of `profiles` people between `start` and `end` (epoch ms), sorted by time:
 * parallel arrays `profile`, `time`, `kind`, compact enough for millions of events.
 */
export function createHistory({ profiles, events, start, end, seed = 11 }) {
  const d = createDice(seed);
  // Pareto-like activity weights, capped so no single person dominates a small population.
  const cumulative = new Float64Array(profiles);
  let total = 0;
  for (let i = 0; i < profiles; i++) {
    total += Math.min(50, (1 - d.next()) ** -0.6);
    cumulative[i] = total;
  }
  const pickProfile = () => {
    const x = d.next() * total;
    let low = 0;
    let high = profiles - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (cumulative[mid] < x) low = mid + 1;
      else high = mid;
    }
    return low;
  };
  const kinds = weightedKinds(d);
  const who = [];
  const when = [];
  const what = [];
  while (who.length < events) {
    const p = pickProfile();
    let t = start + d.next() * (end - start);
    for (const kind of session(d, kinds)) {
      if (t > end || who.length >= events) break;
      who.push(p);
      when.push(Math.round(t));
      what.push(kind);
      t += d.int(5, 120) * 1000;
    }
  }
  const order = Uint32Array.from(who.keys()).sort((a, b) => when[a] - when[b] || a - b);
  return {
    count: order.length,
    profile: Int32Array.from(order, (i) => who[i]),
    time: Float64Array.from(order, (i) => when[i]),
    kind: Uint8Array.from(order, (i) => what[i]),
  };
}

function weightedKinds(d) {
  const total = EVENTS.reduce((n, [, w]) => n + w, 0);
  let acc = 0;
  const cumulative = EVENTS.map(([, w]) => (acc += w / total));
  return () => {
    const x = d.next();
    const i = cumulative.findIndex((c) => x < c);
    return i === -1 ? EVENTS.length - 1 : i;
  };
}

/** One session's event kinds, in order. */
function session(d, next) {
  const kinds = [];
  if (d.chance(0.03)) kinds.push(IDENTIFY);
  if (d.chance(0.25)) {
    for (let i = d.int(1, 3); i > 0; i--) kinds.push(KIND['Product Viewed']);
    kinds.push(KIND['Product Added']);
    const steps = d.chance(0.6) ? (d.chance(0.6) ? 4 : 3) : 2;
    for (let s = 2; s < steps; s++) kinds.push(KIND[FUNNEL[s]]);
  } else {
    for (let i = d.int(1, 8); i > 0; i--) kinds.push(next());
  }
  return kinds;
}

/** The call of one event of `kind`: a payload core (see callOf) with generated properties. */
export function callFor(kind, d, now) {
  if (kind === IDENTIFY) {
    const { city, member_level, crm_grade } = personTraits(d, now);
    return callOf('$identify', { city, member_level, ...(crm_grade ? { crm_grade } : {}) });
  }
  const [name, , properties] = EVENTS[kind];
  return callOf(name, properties(d));
}

// What the collector adds around a call (see collector/src/pipeline/prepare.ts): its enriched
// context, a few variants as real devices send them.
const CONTEXTS = [
  {
    library: { name: '@spoor/miniprogram', version: '0.1.0' },
    app: { name: 'Spoor Coffee', version: '3.2.0' },
    os: { name: 'iOS', version: '17.5' },
    device: { type: 'mobile', vendor: 'Apple', model: 'iPhone 13' },
    network: { type: 'wifi' },
    locale: 'zh-CN',
  },
  {
    library: { name: '@spoor/web', version: '0.1.0' },
    page: { path: '/p/oat-latte-kit', url: 'https://shop.spoor.example/p/oat-latte-kit' },
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    browser: { name: 'Chrome', version: '126.0.0.0' },
    os: { name: 'Windows', version: '10' },
    locale: 'zh-CN',
    timezone: 'Asia/Shanghai',
  },
  {
    library: { name: '@spoor/web', version: '0.1.0' },
    page: { path: '/c/drip-bags', url: 'https://shop.spoor.example/c/drip-bags' },
    userAgent:
      'Mozilla/5.0 (Linux; Android 13; V2227A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 MicroMessenger/8.0.48.2580',
    browser: { name: 'WeChat', version: '8.0.48.2580' },
    os: { name: 'Android', version: '13' },
    device: { type: 'mobile', vendor: 'Vivo', model: 'V2227A' },
    locale: 'zh-CN',
    timezone: 'Asia/Shanghai',
  },
];

/** The payload text the collector stores for `call` (about 600–900 bytes, like real ones). */
export function storedPayload({ messageId, time, receivedAt, anonymousId, userId, call, variant }) {
  const iso = new Date(time).toISOString();
  return JSON.stringify({
    messageId,
    timestamp: iso,
    receivedAt: new Date(receivedAt).toISOString(),
    context: { ip: '10.12.0.7', ...CONTEXTS[variant % CONTEXTS.length] },
    ...call,
    anonymousId,
    ...(userId ? { userId } : {}),
    originalTimestamp: iso,
  });
}
