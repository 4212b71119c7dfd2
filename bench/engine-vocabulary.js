// The shop the engine benchmark simulates: 20 event names with the properties a coffee and
// grocery storefront sends (web, mini-program, app), and the traits its people carry. The
// definitions (engine-tags.js, engine-segments.js) filter on these names and properties.
import { createRandom } from './events.js';

export const CATEGORIES = [
  'coffee_beans',
  'drip_bags',
  'milk_powder',
  'tea',
  'equipment',
  'snacks',
  'oat_milk',
  'capsules',
  'syrups',
  'mugs',
  'gift_cards',
  'subscriptions',
];
export const CITIES = [
  'Shanghai',
  'Beijing',
  'Shenzhen',
  'Guangzhou',
  'Hangzhou',
  'Chengdu',
  'Wuhan',
  'Nanjing',
];
export const QUERIES = [
  'oat latte',
  'yirgacheffe',
  'drip bags',
  'cold brew',
  'milk powder',
  'decaf',
  'espresso machine',
  'matcha',
];
export const CHANNELS = ['miniprogram', 'web', 'app', 'store'];
export const CAMPAIGNS = ['double11', 'spring_sale', 'newsletter_w12', 'member_day'];
const PAYMENTS = ['wechat_pay', 'alipay', 'card'];
const PATHS = ['/', '/c/espresso', '/c/drip-bags', '/p/oat-latte-kit', '/p/yirgacheffe-250g'];
const MORE_PATHS = ['/search', '/cart', '/checkout/shipping', '/account', '/promo/double11'];
const REFERRERS = ['https://www.baidu.com/link?url=Zb4m', 'https://mp.weixin.qq.com/s/3kVv8', ''];
const LEVELS = ['none', 'silver', 'gold', 'platinum'];

/** Helpers over events.js's seeded PRNG. */
export function createDice(seed) {
  const r = createRandom(seed);
  const int = (low, high) => low + Math.floor(r.next() * (high - low + 1));
  const money = (low, high) => Math.round((low + r.next() * (high - low)) * 100) / 100;
  return { ...r, int, money, chance: (p) => r.next() < p };
}

const product = (d) => {
  const category = d.pick(CATEGORIES);
  return {
    product_id: `sku_${d.int(0, 4999)}`,
    category,
    name: `${category} item`,
    brand: d.pick(['Spoor', 'Yunnan Hills', 'Nordic Oat', 'Kyoto Matcha']),
    price: d.money(9, 600),
    currency: 'CNY',
  };
};

/** [name, relative weight, properties]; `$page` is a page call. */
export const EVENTS = [
  ['Product Viewed', 24, product],
  ['$page', 18, (d) => ({ path: d.pick([...PATHS, ...MORE_PATHS]), referrer: d.pick(REFERRERS) })],
  ['Products Searched', 9, (d) => ({ query: d.pick(QUERIES), results: d.int(0, 40) })],
  ['Product Added', 8, (d) => ({ ...product(d), quantity: d.int(1, 3) })],
  ['Cart Viewed', 5, (d) => ({ items: d.int(1, 6), value: d.money(20, 900) })],
  ['Video Played', 5, (d) => ({ video_id: `v_${d.int(1, 300)}`, percent: d.int(5, 100) })],
  ['Checkout Started', 4, (d) => ({ revenue: d.money(20, 900), items: d.int(1, 5) })],
  ['Logged In', 4, (d) => ({ method: d.pick(['wechat', 'phone', 'password']) })],
  ['Order Completed', 3.5, order],
  ['Push Clicked', 2, (d) => ({ campaign: d.pick(CAMPAIGNS) })],
  ['Content Shared', 2, (d) => ({ channel: d.pick(['wechat_moments', 'wechat_friend', 'weibo']) })],
  [
    'Coupon Claimed',
    2,
    (d) => ({ coupon_id: `c_${d.int(1, 40)}`, value: d.pick([5, 10, 20, 50]) }),
  ],
  ['Product Removed', 2, product],
  ['Coupon Redeemed', 1, (d) => ({ coupon_id: `c_${d.int(1, 40)}`, value: d.pick([5, 10, 20]) })],
  ['Review Submitted', 1, (d) => ({ rating: d.int(1, 5), category: d.pick(CATEGORIES) })],
  ['Store Visited', 1, (d) => ({ store_id: `s_${d.int(1, 120)}`, city: d.pick(CITIES) })],
  ['Complaint Filed', 0.5, complaint],
  [
    'Payment Failed',
    0.5,
    (d) => ({ reason: d.pick(['declined', 'timeout']), amount: d.money(20, 900) }),
  ],
  [
    'Refund Requested',
    0.5,
    (d) => ({ amount: d.money(10, 500), reason: d.pick(['quality', 'late']) }),
  ],
  ['Signed Up', 0.3, (d) => ({ method: d.pick(['wechat', 'phone']), channel: d.pick(CHANNELS) })],
];

function order(d) {
  return {
    order_id: `o_${d.int(1, 1e9)}`,
    revenue: d.money(15, 1200),
    items: d.int(1, 6),
    category: d.pick(CATEGORIES),
    channel: d.pick(CHANNELS),
    payment: d.pick(PAYMENTS),
    coupon: d.chance(0.3),
  };
}

function complaint(d) {
  return {
    reason: d.pick(['delivery', 'quality', 'refund', 'service']),
    severity: d.pick(['low', 'medium', 'high']),
  };
}

/** A person's traits as an identify sets them; some are missing, as in real data. */
export function personTraits(d, now) {
  const traits = {};
  if (d.chance(0.9)) traits.age = d.int(18, 65);
  if (d.chance(0.9)) traits.gender = d.pick(['female', 'male']);
  traits.city = d.pick(CITIES);
  traits.member_level = d.pick(LEVELS);
  traits.signup_date = new Date(now - d.int(0, 730) * 86_400_000).toISOString().slice(0, 10);
  if (d.chance(0.5)) traits.crm_grade = d.pick(['A', 'B', 'C', 'D']);
  if (d.chance(0.4)) traits.model = { churn_score: Math.round(d.next() * 100) / 100 };
  return traits;
}

/** Traits as the collector keeps them (collector/src/identity/traits.ts): a `set` register each. */
export function registers(traits, t, m) {
  return Object.fromEntries(Object.entries(traits).map(([k, v]) => [k, { s: { t, m, v } }]));
}

/** A call's payload core (what engineEvent reads): type, name, properties or traits. */
export function callOf(name, properties) {
  if (name === '$page') {
    const title = `${properties.path} | Spoor`;
    return { type: 'page', name: title, properties: { ...properties, title } };
  }
  if (name === '$identify') return { type: 'identify', traits: properties };
  return { type: 'track', event: name, properties };
}
