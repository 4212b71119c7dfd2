import type { Condition, TagDefinition } from '@spoor/schemas';
import { describe, expect, it } from 'vitest';
import { affectedBy } from './affected.js';
import { compile, type CompileOptions, type Definitions } from './compile.js';
import type { CompileError } from './plan-condition.js';
import { compiled, days, segment, tag } from './test-kit/index.js';

const count = (event: string): TagDefinition =>
  tag({ kind: 'fact', event, aggregate: 'count', window: days(30) });
const imported = (valueType: 'string' | 'number' | 'boolean' = 'number'): TagDefinition =>
  tag({ kind: 'imported', valueType });
const rfm = (recency: string, frequency: string, monetary: string): TagDefinition =>
  tag({
    kind: 'model',
    model: {
      type: 'rfm',
      recency: { tag: recency, bins: [7] },
      frequency: { tag: frequency, bins: [2] },
      monetary: { tag: monetary, bins: [100] },
      tiers: [{ min: 1, value: 'any' }],
    },
  });
const rules = (when: Condition): TagDefinition =>
  tag({ kind: 'model', model: { type: 'rules', rules: [{ when, value: 'yes' }] } });
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
const gt = (tagKey: string): Condition => ({ tag: tagKey, op: 'gt', value: 1 });

describe('compile errors', () => {
  it.each<[string, Definitions, CompileError[], CompileOptions?]>([
    [
      'an unknown segment',
      {
        segments: { vip: segment({ and: [{ trait: 'city', op: 'exists' }, { segment: 'vipp' }] }) },
      },
      [{ path: 'segments.vip.condition.and.1.segment', message: 'unknown segment "vipp"' }],
    ],
    [
      'an unknown tag, deep inside',
      { segments: { s: segment({ not: { or: [{ trait: 'a', op: 'exists' }, gt('spend')] } }) } },
      [{ path: 'segments.s.condition.not.or.1.tag', message: 'unknown tag "spend"' }],
    ],
    [
      'an RFM model naming an unknown tag',
      { tags: { last: imported(), spend: imported(), rfm: rfm('last', 'orders', 'spend') } },
      [{ path: 'tags.rfm.model.frequency.tag', message: 'unknown tag "orders"' }],
    ],
    [
      'a rules model naming an unknown segment',
      { tags: { intent: rules({ segment: 'buyers' }) } },
      [{ path: 'tags.intent.model.rules.0.when.segment', message: 'unknown segment "buyers"' }],
    ],
    [
      'a segment naming itself',
      { segments: { a: segment({ or: [{ segment: 'a' }] }) } },
      [{ path: 'segments.a.condition.or.0.segment', message: 'cycle: segments.a → segments.a' }],
    ],
    [
      'two segments naming each other',
      { segments: { a: segment({ segment: 'b' }), b: segment({ segment: 'a' }) } },
      [
        {
          path: 'segments.b.condition.segment',
          message: 'cycle: segments.a → segments.b → segments.a',
        },
      ],
    ],
    [
      'a tag and a segment through a rules model',
      { tags: { t: rules({ segment: 's' }) }, segments: { s: segment(gt('t')) } },
      [{ path: 'segments.s.condition.tag', message: 'cycle: tags.t → segments.s → tags.t' }],
    ],
    [
      'a three-step cycle among tags and segments',
      {
        tags: { t: rules({ segment: 's' }), u: rules(gt('t')) },
        segments: { s: segment(gt('u')) },
      },
      [
        {
          path: 'tags.u.model.rules.0.when.tag',
          message: 'cycle: tags.t → segments.s → tags.u → tags.t',
        },
      ],
    ],
    [
      'RFM inputs of the wrong kind',
      {
        tags: {
          orders: count('Order'),
          grade: imported('string'),
          stage: lifecycle,
          rfm: rfm('orders', 'grade', 'stage'),
        },
      },
      [
        {
          path: 'tags.rfm.model.recency.tag',
          message:
            'recency reads a time (a first_time or last_time tag); "orders" holds a count or sum',
        },
        {
          path: 'tags.rfm.model.frequency.tag',
          message: 'frequency reads a number; "grade" holds text',
        },
        {
          path: 'tags.rfm.model.monetary.tag',
          message: 'monetary reads a number; "stage" holds a label',
        },
      ],
    ],
    [
      'an RFM model reading itself',
      { tags: { n: imported(), rfm: rfm('n', 'rfm', 'n') } },
      [
        {
          path: 'tags.rfm.model.frequency.tag',
          message: 'frequency reads a number; "rfm" holds a label',
        },
        { path: 'tags.rfm.model.frequency.tag', message: 'cycle: tags.rfm → tags.rfm' },
      ],
    ],
    [
      'a day offset that is no time zone',
      {},
      [
        {
          path: 'options.dayOffsetMinutes',
          message: 'an offset from UTC is a whole number of minutes from -720 to 840',
        },
      ],
      { dayOffsetMinutes: 900 },
    ],
    [
      'a day offset of part of a minute',
      {},
      [
        {
          path: 'options.dayOffsetMinutes',
          message: 'an offset from UTC is a whole number of minutes from -720 to 840',
        },
      ],
      { dayOffsetMinutes: 480.5 },
    ],
  ])('%s', (_, definitions, errors, options) => {
    expect(compile(definitions, options)).toEqual({ ok: false, errors });
  });

  it.each([-720, 0, 330, 480, 840])('accepts a day offset of %i minutes', (dayOffsetMinutes) => {
    expect(compile({}, { dayOffsetMinutes }).ok).toBe(true);
  });

  it('reports every error, not only the first', () => {
    const result = compile({
      segments: { a: segment({ and: [gt('x'), { segment: 'y' }] }), b: segment(gt('z')) },
    });
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual([
      'segments.a.condition.and.0.tag',
      'segments.a.condition.and.1.segment',
      'segments.b.condition.tag',
    ]);
  });

  it('accepts RFM inputs that may hold a time or a number', () => {
    const tags = {
      last: tag({ kind: 'fact', event: 'Order', aggregate: 'last_time', window: 'all' }),
      when: imported('string'),
      orders: count('Order'),
      biggest: tag({
        kind: 'fact',
        event: 'Order',
        aggregate: 'max',
        property: 'total',
        window: 'all',
      }),
      a: rfm('last', 'orders', 'biggest'),
      b: rfm('when', 'orders', 'orders'),
    };
    expect(compile({ tags }).ok).toBe(true);
  });
});

describe('compiled order and dependencies', () => {
  const set = compiled({
    segments: {
      vip: segment({
        and: [
          { segment: 'buyers' },
          { tag: 'value', op: 'eq', value: 'top' },
          { trait: 'city.name', op: 'eq', value: 'Shanghai' },
        ],
      }),
      buyers: segment({ did: { event: 'Order' }, within: days(30) }),
      quiet: segment({ inactive: { event: '$page' }, for: days(7) }),
    },
    tags: {
      value: rfm('last', 'orders', 'spend'),
      last: tag({ kind: 'fact', event: 'Order', aggregate: 'last_time', window: 'all' }),
      orders: count('Order'),
      spend: imported(),
      grade: tag({ kind: 'imported', valueType: 'string', trait: 'crm.grade' }),
    },
  });

  it('puts what a definition reads before it', () => {
    const order = set.order.map((ref) => `${ref.kind}:${ref.key}`);
    const before = (a: string, b: string) =>
      expect(order.indexOf(a)).toBeLessThan(order.indexOf(b));
    before('tag:last', 'tag:value');
    before('tag:orders', 'tag:value');
    before('tag:spend', 'tag:value');
    before('tag:value', 'segment:vip');
    before('segment:buyers', 'segment:vip');
    expect(order).toHaveLength(8);
  });

  it('lists dependencies transitively', () => {
    expect(set.dependencies.segments['vip']).toEqual({
      events: ['Order'],
      traits: ['city.name'],
      tags: ['last', 'orders', 'spend', 'value'],
      segments: ['buyers'],
    });
    expect(set.dependencies.segments['quiet']).toEqual({
      events: ['$page'],
      traits: [],
      tags: [],
      segments: [],
    });
    expect(set.dependencies.tags['grade']).toEqual({
      events: [],
      traits: ['crm.grade'],
      tags: [],
      segments: [],
    });
  });

  it.each<[Parameters<typeof affectedBy>[1], string[], string[]]>([
    [{ events: ['Order'] }, ['last', 'orders', 'value'], ['buyers', 'vip']],
    [{ events: ['$page'] }, [], ['quiet']],
    [{ events: ['Unrelated'] }, [], []],
    [{ traits: ['city'] }, [], ['vip']],
    [{ traits: ['city.code'] }, [], ['vip']],
    [{ traits: ['crm.grade', 'age'] }, ['grade'], []],
    [{ tags: ['spend'] }, ['spend', 'value'], ['vip']],
    [{ segments: ['buyers'] }, [], ['buyers', 'vip']],
  ])('affectedBy(%j): tags %j, segments %j', (changes, tags, segments) => {
    const affected = affectedBy(set, changes);
    expect([...affected.tags].sort()).toEqual(tags);
    expect([...affected.segments].sort()).toEqual(segments);
  });

  it('shares one stream among matches that differ only in the order of their filters', () => {
    const shared = compiled({
      tags: {
        a: tag({
          kind: 'fact',
          event: 'Search',
          where: [
            { property: 'route', op: 'eq', value: 'SHA-CTU' },
            { property: 'cabin', op: 'in', value: ['F', 'C'] },
          ],
          aggregate: 'count',
          window: days(7),
        }),
        b: tag({
          kind: 'fact',
          event: 'Search',
          where: [
            { value: ['F', 'C'], op: 'in', property: 'cabin' },
            { value: 'SHA-CTU', property: 'route', op: 'eq' },
          ],
          aggregate: 'sum',
          property: 'pax',
          window: days(30),
        }),
        c: tag({ kind: 'fact', event: 'Search', aggregate: 'count', window: days(7) }),
      },
    });
    expect(shared.streams.size).toBe(2);
    const stream = [...shared.streams.values()].find((s) => s.match.where !== undefined);
    expect([...(stream?.feeds.keys() ?? [])].sort()).toEqual(['', 'pax']);
    expect(stream?.feeds.get('')?.units).toEqual({ days: 7 });
    expect(stream?.feeds.get('pax')?.units).toEqual({ days: 30 });
  });
});
