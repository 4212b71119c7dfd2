import { describe, expect, it } from 'vitest';
import { SegmentDefinitionSchema, TagDefinitionSchema } from './definitions.js';
import { DefinitionsFileSchema } from './destinations.js';

const days = (last: number) => ({ last, unit: 'days' }) as const;

describe('tag and segment definitions', () => {
  it('accept the issue’s examples', () => {
    const file = {
      tags: {
        spend_90d: {
          name: 'Spend in 90 days',
          category: '消费/金额',
          subject: 'behaviour',
          kind: 'fact',
          event: 'Order Completed',
          aggregate: 'sum',
          property: 'revenue',
          window: days(90),
        },
        crm_grade: {
          name: 'CRM grade',
          category: 'crm',
          subject: 'attribute',
          kind: 'imported',
          valueType: 'string',
          trait: 'crm.grade',
        },
      },
      segments: {
        abandoned_cart: {
          name: 'Added to cart yesterday, not ordered since',
          condition: {
            did: { event: 'Product Added' },
            notFollowedBy: { event: 'Order Completed' },
            followWithin: days(2),
            // Windows count calendar buckets: the last 2 days are yesterday and today.
            within: days(2),
          },
        },
        sha_ctu_searchers: {
          name: 'Searched SHA-CTU in 7 days and did not book it',
          condition: {
            and: [
              {
                did: {
                  event: 'Search',
                  where: [{ property: 'route', op: 'eq', value: 'SHA-CTU' }],
                },
                within: days(7),
              },
              {
                not: {
                  did: {
                    event: 'Order Completed',
                    where: [{ property: 'route', op: 'eq', value: 'SHA-CTU' }],
                  },
                  within: days(7),
                },
              },
            ],
          },
        },
      },
    };
    expect(DefinitionsFileSchema.safeParse(file).error?.issues).toBeUndefined();
  });

  it('point at the faulty part of a definition', () => {
    const segment = SegmentDefinitionSchema.safeParse({
      name: 'x',
      condition: { and: [{ segment: 'vip' }, { trait: 'age', op: 'gt', value: 'thirty' }] },
    });
    expect(segment.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['condition.and.1.value', 'Invalid input: expected number, received string'],
    ]);
    const unknownKind = SegmentDefinitionSchema.safeParse({ name: 'x', condition: { maybe: 1 } });
    expect(unknownKind.error?.issues[0]?.message).toMatch(/one of: and, or, not, trait/);
    const tag = TagDefinitionSchema.safeParse({
      name: 'x',
      category: 'c',
      subject: 'behaviour',
      kind: 'fact',
      event: 'Order Completed',
      aggregate: 'sum',
      window: 'all',
    });
    expect(tag.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['property', 'this aggregate needs the property it aggregates'],
    ]);
  });
});
