// @vitest-environment happy-dom
// The published ESM files work on their own: imported from dist/, not from the sources.
import 'fake-indexeddb/auto';
import { expect, it, vi } from 'vitest';
import type * as Web from '../src/index.js';
import type * as Pageviews from '../src/autocapture/pageviews.js';

it('the built package starts a client that sends', async () => {
  const dist = '../dist/esm/';
  const web = (await import(/* @vite-ignore */ `${dist}index.js`)) as typeof Web;
  const { pageviews } = (await import(
    /* @vite-ignore */ `${dist}pageviews.js`
  )) as typeof Pageviews;
  const bodies: string[] = [];
  vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
    bodies.push(init.body as string);
    return new Response('{}');
  });
  const spoor = web.createSpoor({
    writeKey: 'wk',
    host: 'https://t.example.com',
    flushAt: 2,
    plugins: [pageviews()],
  });
  spoor.track('Smoke');
  await spoor.flush();
  const sent = bodies.flatMap((b) => (JSON.parse(b) as { batch: { type: string }[] }).batch);
  expect(sent.map((e) => e.type)).toEqual(['page', 'track']);
  spoor.shutdown();
  vi.unstubAllGlobals();
});
