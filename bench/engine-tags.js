// The benchmark's 100 tag definitions, built the way a marketing team's set grows: a count per
// event at assorted windows, money and order aggregates, interest per category, values and
// times, a few model tags (RFM, lifecycle, rules) and imported ones. Windows mix minutes,
// hours, days and all time; a third carry property filters.
import { modelTags } from './engine-models.js';
import { CAMPAIGNS, CATEGORIES, CITIES, EVENTS } from './engine-vocabulary.js';

const days = (last) => ({ last, unit: 'days' });
const hours = (last) => ({ last, unit: 'hours' });
const minutes = (last) => ({ last, unit: 'minutes' });
const WINDOWS = [minutes(30), hours(24), days(7), days(30), 'all'];
const slug = (name) => name.replace(/^\$/, '').toLowerCase().replace(/\W+/g, '_');
const windowSlug = (w) => (w === 'all' ? 'all' : `${w.last}${w.unit[0]}`);
const ORDER = 'Order Completed';

/** `{ key: definition }` for the benchmark's 100 tags, dependencies before dependents. */
export function buildTags() {
  const tags = {};
  const fact = (key, category, body) => {
    tags[key] = {
      name: key.replace(/_/g, ' '),
      category,
      subject: 'behaviour',
      kind: 'fact',
      ...body,
    };
  };

  // 20: how often each event happened, windows in rotation.
  EVENTS.forEach(([name], i) => {
    const window = WINDOWS[i % WINDOWS.length];
    fact(`n_${slug(name)}_${windowSlug(window)}`, '行为/次数', {
      event: name,
      aggregate: 'count',
      window,
    });
  });

  // 12: money and orders.
  for (const d of [7, 30, 90, 365]) {
    fact(`spend_${d}d`, '消费/金额', {
      event: ORDER,
      aggregate: 'sum',
      property: 'revenue',
      window: days(d),
    });
  }
  fact('spend_all', '消费/金额', {
    event: ORDER,
    aggregate: 'sum',
    property: 'revenue',
    window: 'all',
  });
  fact('orders_365d', '消费/次数', { event: ORDER, aggregate: 'count', window: days(365) });
  fact('aov_90d', '消费/金额', {
    event: ORDER,
    aggregate: 'avg',
    property: 'revenue',
    window: days(90),
  });
  fact('max_order_365d', '消费/金额', {
    event: ORDER,
    aggregate: 'max',
    property: 'revenue',
    window: days(365),
  });
  fact('min_order_all', '消费/金额', {
    event: ORDER,
    aggregate: 'min',
    property: 'revenue',
    window: 'all',
  });
  fact('mp_spend_90d', '消费/渠道', {
    event: ORDER,
    where: [{ property: 'channel', op: 'eq', value: 'miniprogram' }],
    aggregate: 'sum',
    property: 'revenue',
    window: days(90),
  });
  fact('coupon_orders_365d', '消费/优惠', {
    event: ORDER,
    where: [{ property: 'coupon', op: 'eq', value: true }],
    aggregate: 'count',
    window: days(365),
  });
  fact('big_orders_90d', '消费/金额', {
    event: ORDER,
    where: [{ property: 'revenue', op: 'gte', value: 500 }],
    aggregate: 'count',
    window: days(90),
  });

  // 12: interest in each category (product views in 30 days).
  for (const c of CATEGORIES) {
    fact(`interest_${c}`, '兴趣/品类', {
      event: 'Product Viewed',
      where: [{ property: 'category', op: 'eq', value: c }],
      aggregate: 'count',
      window: days(30),
    });
  }

  // 11: distinct values, favourites, first and last times.
  const agg = (key, event, aggregate, property, window, where) =>
    fact(key, '偏好', { event, ...(where ? { where } : {}), aggregate, property, window });
  agg('distinct_products_7d', 'Product Viewed', 'distinct_count', 'product_id', days(7));
  agg('distinct_categories_all', ORDER, 'distinct_count', 'category', 'all');
  agg('fav_category_365d', ORDER, 'most_frequent', 'category', days(365));
  agg('fav_payment_all', ORDER, 'most_frequent', 'payment', 'all');
  agg('fav_query_30d', 'Products Searched', 'most_frequent', 'query', days(30));
  agg('fav_path_7d', '$page', 'most_frequent', 'path', days(7));
  for (const [key, event, aggregate] of [
    ['signed_up_at', 'Signed Up', 'first_time'],
    ['last_order_at', ORDER, 'last_time'],
    ['first_order_at', ORDER, 'first_time'],
    ['last_login_at', 'Logged In', 'last_time'],
    ['last_seen_at', '$page', 'last_time'],
  ]) {
    fact(key, '时间', { event, aggregate, window: 'all' });
  }

  // 30: assorted aggregates with filters, down to minutes.
  agg('first_channel', ORDER, 'first_value', 'channel', 'all');
  agg('last_payment', ORDER, 'last_value', 'payment', 'all');
  agg('last_rating_365d', 'Review Submitted', 'last_value', 'rating', days(365));
  agg('avg_rating_all', 'Review Submitted', 'avg', 'rating', 'all');
  agg('video_completion_7d', 'Video Played', 'avg', 'percent', days(7));
  agg('video_count_30d', 'Video Played', 'count', undefined, days(30));
  agg('max_coupon_90d', 'Coupon Claimed', 'max', 'value', days(90));
  agg('refund_amount_365d', 'Refund Requested', 'sum', 'amount', days(365));
  agg('failed_payments_24h', 'Payment Failed', 'count', undefined, hours(24));
  agg('cart_value_max_7d', 'Cart Viewed', 'max', 'value', days(7));
  agg('added_qty_7d', 'Product Added', 'sum', 'quantity', days(7));
  agg('last_added_category', 'Product Added', 'last_value', 'category', days(30));
  agg('last_viewed_product', 'Product Viewed', 'last_value', 'product_id', hours(72));
  agg('views_1h', 'Product Viewed', 'count', undefined, minutes(60));
  agg('pages_6h', '$page', 'count', undefined, hours(6));
  agg('searches_24h', 'Products Searched', 'count', undefined, hours(24));
  agg('zero_result_searches_7d', 'Products Searched', 'count', undefined, days(7), [
    { property: 'results', op: 'eq', value: 0 },
  ]);
  agg('high_complaints_90d', 'Complaint Filed', 'count', undefined, days(90), [
    { property: 'severity', op: 'eq', value: 'high' },
  ]);
  agg('complaint_reasons_365d', 'Complaint Filed', 'distinct_count', 'reason', days(365));
  agg('product_pages_60m', '$page', 'count', undefined, minutes(60), [
    { property: 'path', op: 'starts_with', value: '/p/' },
  ]);
  agg('baidu_visits_30d', '$page', 'count', undefined, days(30), [
    { property: 'referrer', op: 'contains', value: 'baidu' },
  ]);
  agg('promo_clicks_30d', 'Push Clicked', 'count', undefined, days(30), [
    { property: 'campaign', op: 'in', value: CAMPAIGNS.slice(0, 2) },
  ]);
  agg('moments_shares_30d', 'Content Shared', 'count', undefined, days(30), [
    { property: 'channel', op: 'eq', value: 'wechat_moments' },
  ]);
  agg('tier1_store_visits_90d', 'Store Visited', 'count', undefined, days(90), [
    { property: 'city', op: 'in', value: CITIES.slice(0, 4) },
  ]);
  agg('stores_visited_all', 'Store Visited', 'distinct_count', 'store_id', 'all');
  agg('premium_adds_30d', 'Product Added', 'count', undefined, days(30), [
    { property: 'price', op: 'gte', value: 200 },
  ]);
  agg('removed_value_30d', 'Product Removed', 'sum', 'price', days(30));
  agg('checkout_value_7d', 'Checkout Started', 'sum', 'revenue', days(7));
  agg('coupon_redeemed_value_90d', 'Coupon Redeemed', 'sum', 'value', days(90));
  agg('login_methods_all', 'Logged In', 'distinct_count', 'method', 'all');

  // 3 imported, 12 model tags.
  tags.crm_grade = imported('string', 'crm_grade');
  tags.churn_score = imported('number', 'model.churn_score');
  tags.vip_flag = imported('boolean');
  Object.assign(tags, modelTags());
  return tags;
}

function imported(valueType, trait) {
  return {
    name: `imported ${trait ?? 'flag'}`,
    category: '导入',
    subject: 'attribute',
    kind: 'imported',
    valueType,
    ...(trait ? { trait } : {}),
  };
}
