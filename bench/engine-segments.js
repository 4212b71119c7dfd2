// The benchmark's segment definitions: 100 over the tags of engine-tags.js (traits, tags, other
// segments and behaviour — did, notFollowedBy, sequence, inactive — nested with and/or/not), and
// the 10 self-contained ones the backfill measurement defines over a seeded store.
import { CATEGORIES, CITIES, QUERIES } from './engine-vocabulary.js';

const days = (last) => ({ last, unit: 'days' });
const hours = (last) => ({ last, unit: 'hours' });
const minutes = (last) => ({ last, unit: 'minutes' });
const ORDER = { event: 'Order Completed' };
const eq = (property, value) => [{ property, op: 'eq', value }];

/** `{ key: definition }` for the benchmark's 100 segments, dependencies before dependents. */
export function buildSegments() {
  const segments = {};
  const add = (key, condition) => {
    segments[key] = { name: key.replace(/_/g, ' '), condition };
  };

  // 12: recently interested in a category (a tag and a behaviour together).
  for (const c of CATEGORIES) {
    add(`into_${c}`, {
      and: [
        { tag: `interest_${c}`, op: 'gte', value: 2 },
        { did: { event: 'Product Viewed', where: eq('category', c) }, within: days(7) },
      ],
    });
  }
  // 6: added to cart and has not ordered since (per category).
  for (const c of CATEGORIES.slice(0, 6)) {
    add(`abandoned_${c}`, {
      did: { event: 'Product Added', where: eq('category', c) },
      notFollowedBy: ORDER,
      followWithin: days(2),
      within: days(2),
    });
  }
  // 8: searched for something in the last week and did not buy.
  QUERIES.forEach((q, i) => {
    add(`searched_${i}_no_order`, {
      and: [
        { did: { event: 'Products Searched', where: eq('query', q) }, within: days(7) },
        { not: { did: ORDER, within: days(7) } },
      ],
    });
  });
  // 4: funnels.
  const step = (event, where) => ({ event, ...(where ? { where } : {}) });
  add('funnel_view_add_checkout', {
    sequence: [step('Product Viewed'), step('Product Added'), step('Checkout Started')],
    completeWithin: hours(1),
    within: days(7),
  });
  add('funnel_search_view_add', {
    sequence: [step('Products Searched'), step('Product Viewed'), step('Product Added')],
    completeWithin: minutes(30),
    within: days(1),
  });
  add('funnel_checkout_order', {
    sequence: [step('Checkout Started'), step('Order Completed')],
    completeWithin: hours(2),
    within: days(30),
  });
  add('funnel_push_order', {
    sequence: [step('Push Clicked'), step('Product Viewed'), step('Order Completed')],
    completeWithin: days(1),
    within: days(14),
  });
  // 7: inactivity.
  for (const d of [30, 60, 90]) {
    add(`no_order_${d}d`, { inactive: ORDER, for: days(d), orNever: false });
  }
  for (const d of [7, 14, 30])
    add(`no_login_${d}d`, { inactive: { event: 'Logged In' }, for: days(d) });
  add('no_visit_6h', { inactive: { event: '$page' }, for: hours(6) });
  // 8: demographics per city.
  for (const city of CITIES) {
    add(`women_25_35_${city.toLowerCase()}`, {
      and: [
        { trait: 'gender', op: 'eq', value: 'female' },
        { trait: 'age', op: 'between', value: [25, 35] },
        { trait: 'city', op: 'eq', value: city },
      ],
    });
  }
  // 18: on tags.
  const onTag = (key, tag, op, value) => add(key, { tag, op, value });
  for (const v of [500, 1000, 2000]) onTag(`spend_90d_${v}`, 'spend_90d', 'gte', v);
  onTag('repeat_buyers', 'orders_365d', 'gte', 3);
  onTag('frequent_buyers', 'orders_365d', 'gte', 10);
  for (const tier of ['champion', 'loyal', 'promising', 'at risk'])
    onTag(`rfm_${tier.replace(' ', '_')}`, 'rfm_tier', 'eq', tier);
  for (const stage of ['new', 'active', 'at_risk', 'dormant'])
    onTag(`buyers_${stage}`, 'buyer_stage', 'eq', stage);
  onTag('intent_high', 'purchase_intent', 'eq', 'high');
  onTag('intent_medium', 'purchase_intent', 'eq', 'medium');
  onTag('crm_top', 'crm_grade', 'in', ['A', 'B']);
  onTag('churn_model_high', 'churn_score', 'gt', 0.7);
  onTag('deal_seekers', 'price_sensitivity', 'eq', 'high');
  onTag('coffee_lovers', 'coffee_lover', 'eq', true);
  onTag('ordered_recently', 'last_order_at', 'within_last', days(14));
  // 10: counts in windows.
  const did = (key, event, within, atLeast, atMost, where) =>
    add(key, {
      did: { event, ...(where ? { where } : {}) },
      within,
      ...(atLeast === undefined ? {} : { atLeast }),
      ...(atMost === undefined ? {} : { atMost }),
    });
  did('hot_browsers', 'Product Viewed', minutes(30), 3);
  did('heavy_visitors_24h', '$page', hours(24), 10);
  did('video_fans', 'Video Played', days(7), 5);
  did('complained_30d', 'Complaint Filed', days(30), 1);
  did('never_claimed_coupon_30d', 'Coupon Claimed', days(30), undefined, 0);
  did('payment_trouble', 'Payment Failed', hours(24), 2);
  did(
    'miniprogram_buyers_90d',
    'Order Completed',
    days(90),
    1,
    undefined,
    eq('channel', 'miniprogram'),
  );
  did('big_basket_7d', 'Product Added', days(7), 5);
  did('sharers_30d', 'Content Shared', days(30), 2);
  did('one_time_buyers', 'Order Completed', 'all', 1, 1);
  // 3: more notFollowedBy.
  add('claimed_not_redeemed', {
    did: { event: 'Coupon Claimed' },
    notFollowedBy: { event: 'Coupon Redeemed' },
    followWithin: days(7),
    within: days(14),
  });
  add('checkout_abandoned', {
    did: { event: 'Checkout Started' },
    notFollowedBy: ORDER,
    followWithin: hours(6),
    within: days(3),
  });
  add('failed_not_paid', {
    did: { event: 'Payment Failed' },
    notFollowedBy: ORDER,
    followWithin: hours(1),
    within: days(1),
  });
  // 24: combinations of the segments above, nested.
  const keys = Object.keys(segments);
  const seg = (key) => ({ segment: key });
  add('vip', {
    and: [seg('spend_90d_1000'), { trait: 'member_level', op: 'in', value: ['gold', 'platinum'] }],
  });
  add('win_back', {
    and: [seg('no_order_60d'), { not: seg('complained_30d') }, seg('repeat_buyers')],
  });
  add('cart_rescue', { or: keys.filter((k) => k.startsWith('abandoned_')).map(seg) });
  add('search_rescue', {
    or: keys
      .filter((k) => k.startsWith('searched_'))
      .slice(0, 4)
      .map(seg),
  });
  add('vip_at_risk', {
    and: [seg('vip'), { or: [seg('buyers_at_risk'), seg('churn_model_high')] }],
  });
  add('new_and_curious', {
    and: [
      { trait: 'signup_date', op: 'within_last', value: days(30) },
      { not: seg('repeat_buyers') },
      seg('hot_browsers'),
    ],
  });
  for (let i = 0; Object.keys(segments).length < 100; i++) {
    // Deterministic mixes: a demographic, an interest, and a behaviour or tag, with a NOT.
    const city = CITIES[i % CITIES.length];
    const interest = `into_${CATEGORIES[(i * 5) % CATEGORIES.length]}`;
    const other = keys[(i * 7 + 3) % keys.length];
    add(`mix_${i}`, {
      and: [
        {
          or: [
            { trait: 'city', op: 'eq', value: city },
            { trait: 'member_level', op: 'eq', value: 'platinum' },
          ],
        },
        { or: [seg(interest), seg(other), { tag: 'engagement', op: 'eq', value: 'deep' }] },
        { not: { and: [seg('complained_30d'), { tag: 'churn_risk', op: 'eq', value: 'high' }] } },
      ],
    });
  }
  return segments;
}

/** The 10 segments of the backfill measurement: traits and behaviour only, no tag needed. */
export function backfillSegments() {
  return {
    bf_abandoned_cart: {
      name: 'added to cart, not ordered since',
      condition: {
        did: { event: 'Product Added' },
        notFollowedBy: ORDER,
        followWithin: days(2),
        within: days(2),
      },
    },
    bf_young_mothers: {
      name: 'women 25-35 who bought milk powder',
      condition: {
        and: [
          { trait: 'gender', op: 'eq', value: 'female' },
          { trait: 'age', op: 'between', value: [25, 35] },
          {
            did: { event: 'Order Completed', where: eq('category', 'milk_powder') },
            within: 'all',
          },
        ],
      },
    },
    bf_searched_no_order: {
      name: 'searched oat latte this week, no order',
      condition: {
        and: [
          { did: { event: 'Products Searched', where: eq('query', 'oat latte') }, within: days(7) },
          { not: { did: ORDER, within: days(7) } },
        ],
      },
    },
    bf_funnel: {
      name: 'viewed, added and checked out within an hour',
      condition: {
        sequence: [
          { event: 'Product Viewed' },
          { event: 'Product Added' },
          { event: 'Checkout Started' },
        ],
        completeWithin: hours(1),
        within: days(7),
      },
    },
    bf_lapsed: {
      name: 'no order for 30 days',
      condition: { inactive: ORDER, for: days(30), orNever: false },
    },
    bf_browsers: {
      name: 'viewed 5+ products this week',
      condition: { did: { event: 'Product Viewed' }, within: days(7), atLeast: 5 },
    },
    bf_unhappy: {
      name: 'complained or asked for a refund',
      condition: {
        or: [
          { did: { event: 'Complaint Filed' }, within: days(30) },
          { did: { event: 'Refund Requested' }, within: days(30) },
        ],
      },
    },
    bf_tier1_gold: {
      name: 'gold members in tier-1 cities who order',
      condition: {
        and: [
          { trait: 'city', op: 'in', value: CITIES.slice(0, 3) },
          { trait: 'member_level', op: 'in', value: ['gold', 'platinum'] },
          { did: ORDER, within: days(90), atLeast: 2 },
        ],
      },
    },
    bf_coupon_hunters: {
      name: 'claimed a coupon, not redeemed',
      condition: {
        did: { event: 'Coupon Claimed' },
        notFollowedBy: { event: 'Coupon Redeemed' },
        followWithin: days(7),
        within: days(14),
      },
    },
    bf_dormant_browsers: {
      name: 'no login for 14 days but still browsing products',
      condition: {
        and: [
          { inactive: { event: 'Logged In' }, for: days(14) },
          {
            did: { event: '$page', where: [{ property: 'path', op: 'starts_with', value: '/p/' }] },
            within: days(30),
          },
        ],
      },
    },
  };
}
