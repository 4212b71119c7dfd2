import { it } from 'vitest';
import { startCollector } from './kit.js';

it('explore', async () => {
  const c = await startCollector();
  const h = { authorization: c.basic, 'content-type': 'application/json' };
  for (const n of [1000, 10000, 150000]) {
    const body = '{"batch":[' + new Array(n).fill('0').join(',') + ']}';
    const t = Date.now();
    const i = await c.app.inject({ method: 'POST', url: '/v1/batch', headers: h, payload: body });
    console.log(n, i.statusCode, i.body.length, Date.now() - t, 'ms');
  }
  await c.close();
});
