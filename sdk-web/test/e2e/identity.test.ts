import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  openPage,
  persisted,
  sdkReady,
  sdkState,
  useE2E,
  type SpoorWindow,
} from './browser-kit.js';
import { duplicates, ev, storedWhere, type Stack } from './stack.js';

const setup = useE2E();

/** Reloads the page and returns the page view the reload produced. */
async function reloadView(page: Page, stack: Stack) {
  const before = (await stack.events()).filter(ev.isPage).length;
  await page.reload();
  await sdkReady(page);
  const views = await storedWhere(stack, `page view #${before + 1}`, ev.isPage, before + 1);
  return views[before];
}

describe('identity in real Chromium', () => {
  it('keeps the anonymous ID and user across reloads, and after losing either the cookie or localStorage', async () => {
    const { stack, context } = await setup();
    const { page } = await openPage(context, stack);
    const [first] = await storedWhere(stack, 'the first page view', ev.isPage);
    const { anonymousId } = await sdkState(page);
    expect(anonymousId).toEqual(expect.any(String));
    expect(first).toMatchObject({ anonymousId });
    const stored = await persisted(page);
    expect(stored.cookies).toContain('spoor_aid');
    expect(stored.localStorage).toContain('spoor.identity');

    await page.evaluate(() => {
      (window as unknown as SpoorWindow).spoor.identify('user-42', { plan: 'pro' });
    });
    const [identify] = await storedWhere(stack, 'the identify', (e) => e['type'] === 'identify');
    expect(identify).toMatchObject({ userId: 'user-42', anonymousId, traits: { plan: 'pro' } });

    expect(await reloadView(page, stack)).toMatchObject({ anonymousId, userId: 'user-42' });
    expect(await sdkState(page)).toMatchObject({ anonymousId, userId: 'user-42' });

    // Cookie gone (e.g. a browser's cookie cap or a cleanup extension): localStorage restores it.
    await context.clearCookies();
    expect(await reloadView(page, stack)).toMatchObject({ anonymousId });
    expect((await persisted(page)).cookies).toContain('spoor_aid');

    // localStorage gone (e.g. Safari's 7-day cap on script-written storage): the cookie restores it.
    await page.evaluate(() => localStorage.clear());
    expect(await reloadView(page, stack)).toMatchObject({ anonymousId });
    expect(await sdkState(page)).toMatchObject({ anonymousId });
    expect((await persisted(page)).localStorage).toContain('spoor.identity');

    // Stored once, always. Sent once is not asserted here: these pages send each event at once
    // (flushAt 1), so a request can be in flight when a reload closes the page, and the next
    // page sends its events again (a documented exception the collector's dedupe absorbs).
    // beacon.test.ts and tabs.test.ts assert sent-once for queued events.
    expect((await duplicates(stack)).stored).toEqual([]);
  });
});
