/** Events shared by the zod and JSON Schema tests: each valid one, and each invalid one with its code and path. */
const base = { messageId: 'm-1', anonymousId: 'a-1', timestamp: '2026-11-22T08:00:00.000Z' };

export const VALID_EVENTS: [string, Record<string, unknown>][] = [
  ['track', { ...base, type: 'track', event: 'Order Completed', properties: { revenue: 39.9 } }],
  [
    'identify with traits and operations',
    {
      ...base,
      type: 'identify',
      userId: 'u-1',
      traits: { name: 'Li Lei' },
      operations: {
        setOnce: { first_seen: '2026-01-01' },
        increment: { logins: 1 },
        append: { tags: ['a'] },
        union: { cities: ['SHA'] },
        unset: ['temp'],
      },
    },
  ],
  ['page', { ...base, type: 'page', name: 'Home', category: 'Shop', properties: { path: '/' } }],
  ['screen', { ...base, type: 'screen', name: 'pages/index/index' }],
  ['group', { ...base, type: 'group', groupId: 'g-1', traits: { plan: 'pro' } }],
  ['alias', { ...base, type: 'alias', userId: 'u-2', previousId: 'a-1' }],
  ['numeric ids', { type: 'track', event: 'X', userId: 42 }],
  [
    'identities only',
    { type: 'track', event: 'Order Completed', identities: { phone: '+8613800000000' } },
  ],
  [
    'offset timestamp',
    { ...base, type: 'track', event: 'X', timestamp: '2026-11-22T16:00:00+08:00' },
  ],
  [
    'unknown fields kept',
    {
      ...base,
      type: 'track',
      event: 'X',
      custom: { a: 1 },
      context: { extra: true, page: { url: 'u', more: 1 } },
    },
  ],
];

export const INVALID_EVENTS: [string, unknown, string, string][] = [
  ['not an object', 'track', 'invalid_event', ''],
  ['array', [], 'invalid_event', ''],
  ['unknown type', { ...base, type: 'purchase' }, 'unknown_type', 'type'],
  ['missing type', { ...base }, 'unknown_type', 'type'],
  ['no identity', { type: 'track', event: 'X' }, 'missing_identity', ''],
  ['empty identities', { type: 'track', event: 'X', identities: {} }, 'missing_identity', ''],
  ['track without event', { ...base, type: 'track' }, 'invalid_field', 'event'],
  ['event name a number', { ...base, type: 'track', event: 7 }, 'invalid_field', 'event'],
  [
    'properties a string',
    { ...base, type: 'track', event: 'X', properties: 'x' },
    'invalid_field',
    'properties',
  ],
  ['empty userId', { type: 'track', event: 'X', userId: '' }, 'invalid_field', 'userId'],
  [
    'userId too long',
    { type: 'track', event: 'X', userId: 'u'.repeat(256) },
    'invalid_field',
    'userId',
  ],
  [
    'timestamp not ISO',
    { ...base, type: 'track', event: 'X', timestamp: 'yesterday' },
    'invalid_field',
    'timestamp',
  ],
  [
    'timestamp without offset',
    { ...base, type: 'track', event: 'X', timestamp: '2026-11-22T08:00:00' },
    'invalid_field',
    'timestamp',
  ],
  ['group without groupId', { ...base, type: 'group' }, 'invalid_field', 'groupId'],
  [
    'alias without previousId',
    { ...base, type: 'alias', userId: 'u' },
    'invalid_field',
    'previousId',
  ],
  [
    'identity type not snake case',
    { type: 'track', event: 'X', identities: { Phone: '1' } },
    'invalid_field',
    'identities.Phone',
  ],
  [
    'misspelt operation',
    { ...base, type: 'identify', operations: { setonce: {} } },
    'invalid_field',
    'operations',
  ],
  [
    'increment by text',
    { ...base, type: 'identify', operations: { increment: { n: '1' } } },
    'invalid_field',
    'operations.increment.n',
  ],
  [
    'context not an object',
    { ...base, type: 'track', event: 'X', context: 'web' },
    'invalid_field',
    'context',
  ],
  [
    'library without name',
    { ...base, type: 'track', event: 'X', context: { library: { version: '1' } } },
    'invalid_field',
    'context.library.name',
  ],
];
