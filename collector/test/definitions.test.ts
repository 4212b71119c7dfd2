// The admin API for tag and segment definitions, and the definitions file, on a real SQLite
// store through Fastify's inject.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SPEND_90D, startCollector, tempDir, type TestCollector } from './kit.js';

let collector: TestCollector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

const BIG_SPENDERS = {
  name: 'Big spenders',
  condition: { tag: 'spend_90d', op: 'gte', value: 1000 },
};

async function call(method: 'GET' | 'PUT' | 'DELETE', url: string, body?: unknown, auth = true) {
  const c = collector as TestCollector;
  const res = await c.app.inject({
    method,
    url,
    headers: {
      ...(auth ? { authorization: c.bearer } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined
      ? {}
      : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: res.statusCode, body: res.body ? res.json<Record<string, unknown>>() : {} };
}

describe('definitions API', () => {
  it('stores versions: created, unchanged, changed; lists and reads them', async () => {
    collector = await startCollector();
    const created = await call('PUT', '/v1/tags/spend_90d', SPEND_90D);
    expect(created).toMatchObject({ status: 201, body: { key: 'spend_90d', version: 1 } });
    expect((await call('PUT', '/v1/tags/spend_90d', SPEND_90D)).body['version']).toBe(1);
    const changed = await call('PUT', '/v1/tags/spend_90d', { ...SPEND_90D, name: 'Spend (90d)' });
    expect(changed).toMatchObject({ status: 200, body: { version: 2 } });
    expect((await call('GET', '/v1/tags/spend_90d')).body).toMatchObject({
      version: 2,
      definition: { name: 'Spend (90d)', aggregate: 'sum' },
    });
    const list = await call('GET', '/v1/tags');
    expect((list.body['data'] as unknown[]).length).toBe(1);
    const versions = await call('GET', '/v1/tags/spend_90d/versions');
    expect((versions.body['data'] as { version: number }[]).map((v) => v.version)).toEqual([2, 1]);
    expect((await call('GET', '/v1/segments/nobody')).status).toBe(404);
  });

  it('refuses bad definitions with the faulty field named', async () => {
    collector = await startCollector();
    const cases: [string, unknown, number, string | RegExp][] = [
      ['/v1/tags/spend', { ...SPEND_90D, property: undefined }, 400, /property: this aggregate/],
      ['/v1/tags/Bad-Key', SPEND_90D, 400, /key: a key is lower-case/],
      ['/v1/tags/spend', '{"name": ', 400, 'invalid_json'],
      ['/v1/tags/spend', { ...SPEND_90D, __proto__x: 1 }, 400, /Unrecognized key/],
      ['/v1/tags/spend', '{"__proto__": {"admin": true}}', 400, 'invalid_definition'],
      ['/v1/segments/deep', { name: 'x', condition: nest(20) }, 400, /nest|deep|depth/i],
      [
        '/v1/segments/bad_op',
        { name: 'x', condition: { and: [{ trait: 'age', op: 'older', value: 3 }] } },
        400,
        /condition\.and\.0\.op/,
      ],
      ['/v1/segments/dangling', BIG_SPENDERS, 400, /spend_90d/],
    ];
    for (const [url, body, status, message] of cases) {
      const res = await call('PUT', url, body);
      expect(res.status, url).toBe(status);
      const text = `${String(res.body['code'])} ${String(res.body['message'])}`;
      expect(text, url).toMatch(message);
    }
    expect((await call('PUT', '/v1/tags/spend_90d', SPEND_90D, false)).status).toBe(401);
    expect((await call('GET', '/v1/tags')).body['data']).toEqual([]);
  });

  it('refuses to delete what other definitions use; a deletion is a version', async () => {
    collector = await startCollector();
    await call('PUT', '/v1/tags/spend_90d', SPEND_90D);
    expect((await call('PUT', '/v1/segments/big_spenders', BIG_SPENDERS)).status).toBe(201);
    const refused = await call('DELETE', '/v1/tags/spend_90d');
    expect(refused).toMatchObject({ status: 409, body: { code: 'definition_in_use' } });
    expect(String(refused.body['message'])).toContain('big_spenders');
    expect((await call('DELETE', '/v1/segments/big_spenders')).status).toBe(204);
    expect((await call('DELETE', '/v1/tags/spend_90d')).status).toBe(204);
    expect((await call('DELETE', '/v1/tags/spend_90d')).status).toBe(404);
    expect((await call('GET', '/v1/tags/spend_90d')).status).toBe(404);
    const versions = await call('GET', '/v1/tags/spend_90d/versions');
    expect(versions.body['data']).toMatchObject([{ version: 2, definition: null }, { version: 1 }]);
  });
});

describe('definitions file (SPOOR_DEFINITIONS)', () => {
  it('loads at start-up, adds no version when unchanged, and stops start-up when wrong', async () => {
    const dir = tempDir();
    const file = join(dir, 'definitions.json');
    writeFileSync(
      file,
      JSON.stringify({ tags: { spend_90d: SPEND_90D }, segments: { big_spenders: BIG_SPENDERS } }),
    );
    const dataDir = join(dir, 'data');
    collector = await startCollector({ dataDir, definitionsFile: file });
    expect((await call('GET', '/v1/segments/big_spenders')).body['version']).toBe(1);
    await collector.close();
    collector = await startCollector({ dataDir, definitionsFile: file });
    expect((await call('GET', '/v1/segments/big_spenders')).body['version']).toBe(1);
    await collector.close();
    collector = undefined;

    writeFileSync(
      file,
      JSON.stringify({ segments: { lost: { name: 'x', condition: { segment: 'nope' } } } }),
    );
    await expect(startCollector({ dataDir, definitionsFile: file })).rejects.toThrow(
      /SPOOR_DEFINITIONS .*segments\.lost.*nope/,
    );
    writeFileSync(file, '{ not json');
    await expect(startCollector({ dataDir, definitionsFile: file })).rejects.toThrow(
      /SPOOR_DEFINITIONS .*not JSON/,
    );
  });
});

/** A condition nested `depth` levels deep. */
function nest(depth: number): unknown {
  let condition: unknown = { trait: 'age', op: 'exists' };
  for (let i = 0; i < depth; i++) condition = { not: condition };
  return condition;
}
