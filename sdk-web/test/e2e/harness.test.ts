import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium, watchProblems } from './browser-kit.js';
import { startStack, storedWhere } from './stack.js';

// Checks the harness without the SDK: if this fails, the other e2e failures are not the SDK's.
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
});

it('a page on the site reaches the collector cross-origin through the proxy, and a foreign origin is refused', async () => {
  const stack = await startStack();
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.goto(`${stack.site.origin}/blank.html`);
    expect(await page.title()).toBe('No tracking here');
    const status = await page.evaluate(async (host) => {
      const res = await fetch(`${host}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({
          writeKey: 'wk_web_e2e',
          batch: [{ type: 'track', event: 'Harness', anonymousId: 'a1', messageId: 'h-1' }],
        }),
      });
      return res.status;
    }, stack.proxy.url);
    expect(status).toBe(200);
    await storedWhere(stack, 'the harness event', (e) => e['messageId'] === 'h-1');
    expect(stack.proxy.requests).toMatchObject([{ messageIds: ['h-1'], status: 200 }]);
    expect(problems).toEqual([]);

    const foreign = await fetch(`${stack.proxy.url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body: JSON.stringify({
        writeKey: 'wk_web_e2e',
        batch: [{ type: 'track', event: 'X', anonymousId: 'a1' }],
      }),
    });
    expect(foreign.status).toBe(403);
  } finally {
    await context.close();
    await stack.close();
  }
});
