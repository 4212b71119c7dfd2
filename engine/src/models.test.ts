import type { TagDefinition } from '@spoor/schemas';
import { describe, expect, it } from 'vitest';
import type { TagValue } from './context.js';
import { evaluate } from './evaluate.js';
import { emptyState } from './state.js';
import { at, compiled, days, evaluateAfter, profile, tag, track } from './test-kit/index.js';

const NOW = at('2024-05-15T12:00:00Z');

describe('rules model: the first true rule wins, unknown rules are passed over', () => {
  const rules = (otherwise?: string) =>
    tag({
      kind: 'model',
      model: {
        type: 'rules',
        rules: [
          { when: { did: { event: 'Search' }, within: days(7), atLeast: 5 }, value: 'high' },
          { when: { trait: 'age', op: 'gte', value: 30 }, value: 'medium' },
        ],
        otherwise,
      },
    });
  it.each<[number, Record<string, unknown>, string | undefined, TagValue]>([
    [5, {}, 'low', 'high'],
    [5, { age: 40 }, 'low', 'high'],
    [1, { age: 35 }, 'low', 'medium'],
    [1, { age: 25 }, 'low', 'low'],
    [1, {}, 'low', 'low'],
    [1, { age: 'old' }, 'low', 'low'],
    [1, {}, undefined, null],
  ])('%i searches, traits %j, otherwise %s: %j', (searches, traits, otherwise, expected) => {
    const set = compiled({ tags: { intent: rules(otherwise) } });
    const done = Array.from({ length: searches }, (_, i) => track('Search', NOW - i));
    expect(evaluateAfter(set, done, NOW, profile(traits)).tags['intent']).toBe(expected);
  });
});

describe('RFM model', () => {
  const imported = (valueType: 'number' | 'string' | 'boolean'): TagDefinition =>
    tag({ kind: 'imported', valueType });
  const rfm = (weights?: { recency: number; frequency: number; monetary: number }) =>
    tag({
      kind: 'model',
      model: {
        type: 'rfm',
        recency: { tag: 'last_order', bins: [7, 30] },
        frequency: { tag: 'orders', bins: [2, 5] },
        monetary: { tag: 'spend', bins: [100, 500] },
        weights,
        tiers: [
          { min: 1.5, value: 'mid' },
          { min: 2.5, value: 'top' },
          { min: 1.2, value: 'low' },
        ],
      },
    });
  const scoreTiers = [3, 2, 1].map((min) => ({ min, value: String(min) }));
  const only = (score: 'recency' | 'frequency' | 'monetary') =>
    tag({
      kind: 'model',
      model: {
        type: 'rfm',
        recency: { tag: 'last_order', bins: [7, 30] },
        frequency: { tag: 'orders', bins: [2, 5] },
        monetary: { tag: 'spend', bins: [100, 500] },
        weights: { recency: 0, frequency: 0, monetary: 0, [score]: 1 },
        tiers: scoreTiers,
      },
    });
  const set = compiled({
    tags: {
      last_order: imported('number'),
      orders: imported('number'),
      spend: imported('number'),
      rfm: rfm(),
      weighted: rfm({ recency: 2, frequency: 1, monetary: 0 }),
      r: only('recency'),
      f: only('frequency'),
      m: only('monetary'),
    },
  });
  const run = (values: Record<string, unknown>) =>
    evaluate(
      set,
      emptyState(),
      profile({}, { last_order: NOW, orders: 5, spend: 500, ...values }),
      NOW,
    );

  it.each<[unknown, TagValue]>([
    [NOW, '3'],
    [at('2024-05-15T00:00:00Z'), '3'],
    [at('2024-05-09T00:00:00Z'), '3'],
    [at('2024-05-08T23:59:59.999Z'), '2'],
    [at('2024-04-16T00:00:00Z'), '2'],
    [at('2024-04-15T23:59:59.999Z'), '1'],
    ['2024-05-14T10:00:00Z', null], // a number tag holding text is unknown
    [NOW + 86_400_000, '3'],
    ['last week', null],
    [undefined, null],
  ])('recency: last order at %j scores %j', (lastOrder, score) => {
    expect(run({ last_order: lastOrder }).tags['r']).toBe(score);
  });

  it.each<[string, unknown, TagValue]>([
    ['orders', 1.99, '1'],
    ['orders', 2, '2'],
    ['orders', 4, '2'],
    ['orders', 5, '3'],
    ['orders', '5', null],
    ['spend', 0, '1'],
    ['spend', 100, '2'],
    ['spend', 499.99, '2'],
    ['spend', 500, '3'],
    ['spend', null, null],
  ])('%s %j scores %j', (input, value, score) => {
    expect(run({ [input]: value }).tags[input === 'orders' ? 'f' : 'm']).toBe(score);
  });

  // composite (r + f + m) / 3, weighted (2r + f) / 3; tiers top ≥ 2.5, mid ≥ 1.5, low ≥ 1.2
  it.each<[Record<string, unknown>, TagValue, TagValue]>([
    [{}, 'top', 'top'],
    [{ orders: 1, spend: 50 }, 'mid', 'mid'],
    [{ orders: 2, spend: 100 }, 'mid', 'top'],
    [{ orders: 1 }, 'mid', 'mid'],
    [{ last_order: at('2024-01-01T00:00:00Z'), orders: 2, spend: 50 }, 'low', 'low'],
    [{ last_order: at('2024-01-01T00:00:00Z'), orders: 1, spend: 50 }, null, null],
    [{ spend: 'lots' }, null, null],
    [{ orders: undefined }, null, null],
  ])('inputs %j: tier %j, weighted tier %j', (values, tier, weighted) => {
    const result = run(values);
    expect(result.tags['rfm']).toBe(tier);
    expect(result.tags['weighted']).toBe(weighted);
  });

  it('reads a last_time fact tag as recency', () => {
    const chained = compiled({
      tags: {
        last_order: tag({ kind: 'fact', event: 'Order', aggregate: 'last_time', window: 'all' }),
        orders: tag({ kind: 'fact', event: 'Order', aggregate: 'count', window: 'all' }),
        spend: tag({
          kind: 'fact',
          event: 'Order',
          aggregate: 'sum',
          property: 'revenue',
          window: 'all',
        }),
        rfm: rfm(),
      },
    });
    const orders = [1, 2, 3, 4, 5].map((i) =>
      track('Order', NOW - i * 3_600_000, { revenue: 100 }),
    );
    expect(evaluateAfter(chained, orders, NOW).tags['rfm']).toBe('top');
    expect(evaluateAfter(chained, orders.slice(0, 1), NOW).tags['rfm']).toBe('mid');
    expect(evaluateAfter(chained, [], NOW).tags['rfm']).toBe(null);
  });
});

describe('lifecycle model', () => {
  const lifecycle = tag({
    kind: 'model',
    model: {
      type: 'lifecycle',
      activity: { event: 'Order' },
      newForDays: 7,
      churnRiskAfterDays: 30,
      dormantAfterDays: 60,
    },
  });
  it.each<[string, string[], number, TagValue]>([
    ['never', [], 0, null],
    ['first today', ['2024-05-15T10:00:00Z'], 0, 'new'],
    ['first at the start of the 7 days', ['2024-05-09T00:00:00Z'], 0, 'new'],
    [
      'first 1 ms earlier, active since',
      ['2024-05-08T23:59:59.999Z', '2024-05-15T10:00:00Z'],
      0,
      'active',
    ],
    [
      'last at the start of the 30 days',
      ['2024-01-01T00:00:00Z', '2024-04-16T00:00:00Z'],
      0,
      'active',
    ],
    [
      'last 1 ms before the 30 days',
      ['2024-01-01T00:00:00Z', '2024-04-15T23:59:59.999Z'],
      0,
      'at_risk',
    ],
    [
      'last at the start of the 60 days',
      ['2024-01-01T00:00:00Z', '2024-03-17T00:00:00Z'],
      0,
      'at_risk',
    ],
    [
      'last 1 ms before the 60 days',
      ['2024-01-01T00:00:00Z', '2024-03-16T23:59:59.999Z'],
      0,
      'dormant',
    ],
    ['only once, long ago', ['2024-01-01T00:00:00Z'], 0, 'dormant'],
    ['China: first at the start of the 7 days', ['2024-05-08T16:00:00Z'], 480, 'new'],
    ['China: first 1 ms earlier', ['2024-05-08T15:59:59.999Z'], 480, 'active'],
  ])('%s: %j', (_, times, offset, stage) => {
    const set = compiled({ tags: { stage: lifecycle } }, { dayOffsetMinutes: offset });
    const orders = times.map((time) => track('Order', at(time)));
    expect(evaluateAfter(set, orders, NOW).tags['stage']).toBe(stage);
  });
});

describe('imported tags', () => {
  it.each<
    [
      'string' | 'number' | 'boolean',
      string | undefined,
      Record<string, unknown>,
      Record<string, unknown>,
      TagValue,
    ]
  >([
    ['string', undefined, {}, { grade: 'A' }, 'A'],
    ['string', undefined, {}, { grade: 42 }, null],
    ['string', undefined, {}, {}, null],
    ['number', undefined, {}, { grade: 42 }, 42],
    ['number', undefined, {}, { grade: '42' }, null],
    ['number', undefined, {}, { grade: Number.NaN }, null],
    ['boolean', undefined, {}, { grade: false }, false],
    ['boolean', undefined, {}, { grade: 'true' }, null],
    ['string', 'crm.grade', { crm: { grade: 'B' } }, { grade: 'A' }, 'B'],
    ['string', 'crm.grade', {}, { grade: 'A' }, 'A'],
    ['string', 'crm.grade', { crm: { grade: null } }, { grade: 'A' }, 'A'],
    ['string', 'crm.grade', { crm: { grade: 5 } }, { grade: 'A' }, null],
  ])(
    'a %s tag (trait %s), traits %j, imported %j: %j',
    (valueType, trait, traits, imported, expected) => {
      const set = compiled({ tags: { grade: tag({ kind: 'imported', valueType, trait }) } });
      expect(evaluate(set, emptyState(), profile(traits, imported), NOW).tags['grade']).toBe(
        expected,
      );
    },
  );
});
