// The benchmark's 12 model tags over the fact and imported tags of engine-tags.js: RFM, two
// lifecycles, and rules (intent, value tier, price sensitivity, engagement, churn risk, age band,
// new member, a category lover, a CRM grade × value mix), reading tags, traits and behaviour.

const days = (last) => ({ last, unit: 'days' });
const ORDER = 'Order Completed';

const model = (name, body) => ({
  name,
  category: '模型',
  subject: 'behaviour',
  kind: 'model',
  model: body,
});
const rules = (rules, otherwise) => ({ type: 'rules', rules, ...(otherwise ? { otherwise } : {}) });

/** `{ key: definition }` of the model tags; they read tags engine-tags.js defines first. */
export function modelTags() {
  const out = {
    rfm_tier: model('RFM tier', {
      type: 'rfm',
      recency: { tag: 'last_order_at', bins: [7, 30, 90] },
      frequency: { tag: 'orders_365d', bins: [1, 3, 10] },
      monetary: { tag: 'spend_365d', bins: [100, 500, 2000] },
      weights: { recency: 1, frequency: 1, monetary: 2 },
      tiers: [
        { min: 3.5, value: 'champion' },
        { min: 2.5, value: 'loyal' },
        { min: 1.5, value: 'promising' },
        { min: 0, value: 'at risk' },
      ],
    }),
    buyer_stage: model('buyer lifecycle', {
      type: 'lifecycle',
      activity: { event: ORDER },
      newForDays: 30,
      churnRiskAfterDays: 60,
      dormantAfterDays: 120,
    }),
    user_stage: model('user lifecycle', {
      type: 'lifecycle',
      activity: { event: 'Logged In' },
      newForDays: 14,
      churnRiskAfterDays: 21,
      dormantAfterDays: 60,
    }),
    purchase_intent: model(
      'purchase intent',
      rules(
        [
          {
            when: { did: { event: 'Checkout Started' }, within: days(1) },
            value: 'high',
          },
          {
            when: {
              or: [
                { tag: 'views_1h', op: 'gte', value: 3 },
                { did: { event: 'Product Added' }, within: days(3) },
              ],
            },
            value: 'medium',
          },
        ],
        'low',
      ),
    ),
    value_tier: model(
      'value tier',
      rules(
        [
          { when: { tag: 'spend_365d', op: 'gte', value: 3000 }, value: 'S' },
          { when: { tag: 'spend_365d', op: 'gte', value: 1000 }, value: 'A' },
          { when: { tag: 'spend_365d', op: 'gt', value: 0 }, value: 'B' },
        ],
        'C',
      ),
    ),
    price_sensitivity: model(
      'price sensitivity',
      rules([
        { when: { tag: 'coupon_orders_365d', op: 'gte', value: 3 }, value: 'high' },
        { when: { tag: 'max_coupon_90d', op: 'gte', value: 20 }, value: 'medium' },
      ]),
    ),
    engagement: model(
      'engagement',
      rules(
        [
          {
            when: {
              and: [
                { tag: 'video_completion_7d', op: 'gte', value: 60 },
                { tag: 'pages_6h', op: 'gte', value: 3 },
              ],
            },
            value: 'deep',
          },
          { when: { tag: 'last_seen_at', op: 'within_last', value: days(7) }, value: 'casual' },
        ],
        'cold',
      ),
    ),
    churn_risk: model(
      'churn risk',
      rules(
        [
          {
            when: {
              or: [
                { tag: 'churn_score', op: 'gt', value: 0.7 },
                { tag: 'buyer_stage', op: 'in', value: ['at_risk', 'dormant'] },
              ],
            },
            value: 'high',
          },
          { when: { tag: 'high_complaints_90d', op: 'gte', value: 1 }, value: 'medium' },
        ],
        'low',
      ),
    ),
  };
  const ageBand = (low, high, value) => ({
    when: { trait: 'age', op: 'between', value: [low, high] },
    value,
  });
  out.age_band = model(
    'age band',
    rules([ageBand(18, 24, '18-24'), ageBand(25, 34, '25-34'), ageBand(35, 49, '35-49')], '50+'),
  );
  out.new_member = model(
    'new member',
    rules(
      [{ when: { trait: 'signup_date', op: 'within_last', value: days(30) }, value: true }],
      false,
    ),
  );
  out.coffee_lover = model(
    'coffee lover',
    rules([
      {
        when: {
          or: [
            { tag: 'interest_coffee_beans', op: 'gte', value: 5 },
            {
              tag: 'fav_category_365d',
              op: 'in',
              value: ['coffee_beans', 'drip_bags', 'capsules'],
            },
          ],
        },
        value: true,
      },
    ]),
  );
  out.grade_mix = model(
    'CRM grade × value',
    rules([
      {
        when: {
          and: [
            { tag: 'crm_grade', op: 'in', value: ['A', 'B'] },
            { tag: 'value_tier', op: 'in', value: ['S', 'A'] },
          ],
        },
        value: 'strategic',
      },
    ]),
  );
  return out;
}
