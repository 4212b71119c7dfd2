import { describe, expect, it } from 'vitest';
import type { Definitions } from './compile.js';
import type { EngineEvent } from './event.js';
import { evaluate } from './evaluate.js';
import {
  at,
  compiled,
  days,
  hours,
  profile,
  replay,
  segment,
  tag,
  track,
} from './test-kit/index.js';

const NOW = at('2024-05-15T12:00:00Z');
const order = (time: string) => track('Order', at(time));

const lastOrder = tag({ kind: 'imported', valueType: 'number' });
const rfm = tag({
  kind: 'model',
  model: {
    type: 'rfm',
    recency: { tag: 'last', bins: [7, 30] },
    frequency: { tag: 'n', bins: [2] },
    monetary: { tag: 'n', bins: [2] },
    weights: { recency: 1, frequency: 0, monetary: 0 },
    tiers: [3, 2, 1].map((min) => ({ min, value: `recency ${min}` })),
  },
});

type Row = [string, Definitions, EngineEvent[], Record<string, unknown>, string | null, number?];

const rows: Row[] = [
  [
    'nothing that time changes',
    {
      tags: { total: tag({ kind: 'fact', event: 'Order', aggregate: 'count', window: 'all' }) },
      segments: { adults: segment({ trait: 'age', op: 'gte', value: 18 }) },
    },
    [order('2024-05-10T10:00:00Z')],
    { age: 30 },
    null,
  ],
  [
    'a fact tag: its oldest bucket leaves the window',
    { tags: { week: tag({ kind: 'fact', event: 'Order', aggregate: 'count', window: days(7) }) } },
    [order('2024-05-12T10:00:00Z'), order('2024-05-10T10:00:00Z')],
    {},
    '2024-05-17T00:00:00Z',
  ],
  [
    'a fact tag, day cut in China',
    { tags: { today: tag({ kind: 'fact', event: 'Order', aggregate: 'count', window: days(1) }) } },
    [order('2024-05-15T10:00:00Z')],
    {},
    '2024-05-15T16:00:00Z',
    480,
  ],
  [
    'did at least once: when the last one leaves, not the first',
    { segments: { s: segment({ did: { event: 'Order' }, within: days(7) }) } },
    [order('2024-05-10T10:00:00Z'), order('2024-05-14T10:00:00Z')],
    {},
    '2024-05-21T00:00:00Z',
  ],
  [
    'did at least twice: when the first leaves',
    { segments: { s: segment({ did: { event: 'Order' }, within: days(7), atLeast: 2 }) } },
    [order('2024-05-10T10:00:00Z'), order('2024-05-14T10:00:00Z')],
    {},
    '2024-05-17T00:00:00Z',
  ],
  [
    'did at most once, done twice: true when the first leaves',
    { segments: { s: segment({ did: { event: 'Order' }, within: days(7), atMost: 1 }) } },
    [order('2024-05-10T10:00:00Z'), order('2024-05-14T10:00:00Z')],
    {},
    '2024-05-17T00:00:00Z',
  ],
  [
    'did three times of at least one: hours buckets',
    { segments: { s: segment({ did: { event: 'Order' }, within: hours(2) }) } },
    [order('2024-05-15T11:10:00Z'), order('2024-05-15T11:50:00Z'), order('2024-05-15T12:00:00Z')],
    {},
    '2024-05-15T14:00:00Z',
  ],
  [
    'did never, at most 0: stays true',
    { segments: { s: segment({ did: { event: 'Order' }, within: days(7), atMost: 0 }) } },
    [],
    {},
    null,
  ],
  [
    'inactive: becomes true when the last leaves the window',
    { segments: { s: segment({ inactive: { event: 'Order' }, for: days(7) }) } },
    [order('2024-05-14T10:00:00Z'), order('2024-05-01T10:00:00Z')],
    {},
    '2024-05-21T00:00:00Z',
  ],
  [
    'inactive and never active: nothing to wait for',
    { segments: { s: segment({ inactive: { event: 'Order' }, for: days(7) }) } },
    [],
    {},
    null,
  ],
  [
    'not followed: when the unfollowed add leaves the window',
    {
      segments: {
        s: segment({
          did: { event: 'Cart' },
          notFollowedBy: { event: 'Order' },
          followWithin: hours(1),
          within: days(2),
        }),
      },
    },
    [track('Cart', at('2024-05-15T10:00:00Z')), track('Cart', at('2024-05-14T10:00:00Z'))],
    {},
    '2024-05-17T00:00:00Z',
  ],
  [
    'a sequence: when its latest complete start leaves the window',
    {
      segments: {
        s: segment({
          sequence: [{ event: 'View' }, { event: 'Order' }],
          completeWithin: hours(1),
          within: days(1),
        }),
      },
    },
    [track('View', at('2024-05-15T10:00:00Z')), order('2024-05-15T10:30:00Z')],
    {},
    '2024-05-16T00:00:00Z',
  ],
  [
    'a date trait within the last 30 days',
    { segments: { s: segment({ trait: 'signup', op: 'within_last', value: days(30) }) } },
    [],
    { signup: '2024-05-01' },
    '2024-05-31T00:00:00Z',
  ],
  [
    'lifecycle: new until the 7 days after the first are over',
    {
      tags: {
        stage: tag({
          kind: 'model',
          model: {
            type: 'lifecycle',
            activity: { event: 'Order' },
            newForDays: 7,
            churnRiskAfterDays: 30,
            dormantAfterDays: 60,
          },
        }),
      },
    },
    [order('2024-05-10T10:00:00Z'), order('2024-05-14T10:00:00Z')],
    {},
    '2024-05-17T00:00:00Z',
  ],
  [
    'RFM recency: the next bin boundary',
    { tags: { last: lastOrder, n: tag({ kind: 'imported', valueType: 'number' }), rfm } },
    [],
    {},
    '2024-05-21T00:00:00Z',
  ],
];

describe('nextChangeAt: the earliest instant time alone may change a result', () => {
  it.each(rows)('%s', (_, definitions, events, traits, expected, offset = 0) => {
    const set = compiled(definitions, { dayOffsetMinutes: offset });
    const state = replay(set, events);
    const who = profile(traits, { last: at('2024-05-14T10:00:00Z'), n: 3 });
    const result = evaluate(set, state, who, NOW);
    expect(result.nextChangeAt).toBe(expected === null ? null : at(expected));
    if (result.nextChangeAt === null) return;
    // Nothing changes before it; for these definitions, something does at it.
    const { nextChangeAt: _before, ...justBefore } = evaluate(
      set,
      state,
      who,
      result.nextChangeAt - 1,
    );
    const { nextChangeAt: _now, ...current } = result;
    expect(justBefore).toEqual(current);
    const { nextChangeAt: _at, ...then } = evaluate(set, state, who, result.nextChangeAt);
    expect(then).not.toEqual(current);
  });

  it('covers only the selected definitions', () => {
    const set = compiled({
      tags: {
        week: tag({ kind: 'fact', event: 'Order', aggregate: 'count', window: days(7) }),
        day: tag({ kind: 'fact', event: 'Order', aggregate: 'count', window: days(1) }),
      },
    });
    const state = replay(set, [order('2024-05-15T10:00:00Z')]);
    expect(evaluate(set, state, profile(), NOW).nextChangeAt).toBe(at('2024-05-16T00:00:00Z'));
    expect(evaluate(set, state, profile(), NOW, { tags: ['week'] }).nextChangeAt).toBe(
      at('2024-05-22T00:00:00Z'),
    );
  });
});
