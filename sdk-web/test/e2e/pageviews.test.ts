import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { drain, openPage, sdkState, useE2E } from './browser-kit.js';
import { duplicates, ev, expectLeave, storedWhere, type Stack, type Stored } from './stack.js';

const setup = useE2E();

/** Runs `navigate` in the page and waits until a new page view for `url` is stored. */
async function navigateTo(page: Page, stack: Stack, url: string, navigate: string) {
  const isView = (e: Stored) => ev.isPage(e) && ev.prop(e, 'url') === url;
  const before = (await stack.events()).filter(isView).length;
  await page.evaluate(navigate);
  await storedWhere(stack, `page view #${before + 1} of ${url}`, isView, before + 1);
}

describe('page views in real Chromium', () => {
  it('tracks one page view on load, with page, session, locale, zone, screen and library context', async () => {
    const { stack, context } = await setup();
    const origin = stack.site.origin;
    const { page, problems } = await openPage(
      context,
      stack,
      '/app/home?utm_source=newsletter',
      'https://search.example.com/?q=spoor',
    );
    const [view] = await storedWhere(stack, 'the page view', ev.isPage);
    const referrer = await page.evaluate(() => document.referrer);
    expect(referrer).not.toBe('');
    const pageFields = {
      url: `${origin}/app/home?utm_source=newsletter`,
      path: '/app/home',
      search: '?utm_source=newsletter',
      title: 'Spoor test shop',
      referrer,
    };
    const { anonymousId } = await sdkState(page);
    const userAgent = await page.evaluate(() => navigator.userAgent);
    expect(view).toMatchObject({
      type: 'page',
      anonymousId,
      properties: pageFields,
      context: {
        page: pageFields,
        locale: 'zh-CN',
        timezone: 'Asia/Shanghai',
        userAgent,
        screen: { width: expect.any(Number), height: expect.any(Number) },
        library: { name: '@spoor/web' },
      },
    });
    const sessionId = ev.context(view)['sessionId'];
    expect(sessionId).toBeTruthy();

    await drain(page, stack);
    const stored = await stack.events();
    expect(stored.filter(ev.isPage)).toHaveLength(1);
    // Later events of the same visit share the session.
    expect(stored.map((e) => ev.context(e)['sessionId'])).toEqual(stored.map(() => sessionId));
    expect(await duplicates(stack)).toEqual({ stored: [], resent: [] });
    expect(problems).toEqual([]);
  });

  it('tracks SPA navigations: pushState, popstate, hash change and replaceState to a new URL, never the same URL twice in a row', async () => {
    const { stack, context } = await setup();
    const base = stack.site.origin;
    const { page, problems } = await openPage(context, stack, '/app/home');
    await storedWhere(stack, 'the first page view', ev.isPage);

    await navigateTo(
      page,
      stack,
      `${base}/app/two?x=1`,
      `history.pushState({}, '', '/app/two?x=1')`,
    );
    // The same URL again, by replaceState and by pushState: not a new page view.
    await page.evaluate(() => history.replaceState({ step: 3 }, '', '/app/two?x=1'));
    await navigateTo(page, stack, `${base}/app/home`, 'history.back()');
    // Chromium fires popstate and hashchange for this; one page view.
    await navigateTo(page, stack, `${base}/app/home#more`, `location.hash = 'more'`);
    await page.evaluate(() => history.pushState({}, '', location.href));
    await navigateTo(
      page,
      stack,
      `${base}/app/three`,
      `history.replaceState({}, '', '/app/three')`,
    );
    await drain(page, stack);

    const stored = await stack.events();
    const views = stored.filter(ev.isPage);
    expect(views.map((v) => ev.prop(v, 'url'))).toEqual([
      `${base}/app/home`,
      `${base}/app/two?x=1`,
      `${base}/app/home`,
      `${base}/app/home#more`,
      `${base}/app/three`,
    ]);
    expect(views.map((v) => [ev.prop(v, 'path'), ev.prop(v, 'search')])).toEqual([
      ['/app/home', ''],
      ['/app/two', '?x=1'],
      ['/app/home', ''],
      ['/app/home', ''],
      ['/app/three', ''],
    ]);
    // Each view's context.page is the page it reports, not the one before.
    for (const v of views) expect(ev.context(v)['page']).toMatchObject({ url: ev.prop(v, 'url') });
    const sessions = new Set(stored.map((e) => ev.context(e)['sessionId']));
    expect(sessions.size).toBe(1);

    // Leaving a URL by SPA navigation reports how long it was shown.
    const leaves = stored.filter(ev.named('$WebPageLeave'));
    expect(leaves.map((l) => ev.prop(l, 'url'))).toEqual(
      expect.arrayContaining([`${base}/app/home`, `${base}/app/two?x=1`]),
    );
    for (const leave of leaves) expectLeave(leave);
    expect(await duplicates(stack)).toEqual({ stored: [], resent: [] });
    expect(problems).toEqual([]);
  });

  it('a redirect within one task (pushState, then replaceState): each page view carries its own page in context', async () => {
    const { stack, context } = await setup();
    const base = stack.site.origin;
    const { page } = await openPage(context, stack, '/app/home');
    await storedWhere(stack, 'the first page view', ev.isPage);
    await page.evaluate(() => {
      history.pushState({}, '', '/app/login');
      history.replaceState({}, '', '/app/dashboard');
    });
    await storedWhere(stack, 'the dashboard view', (e) => ev.prop(e, 'path') === '/app/dashboard');
    await drain(page, stack);
    const views = (await stack.events()).filter(ev.isPage);
    expect(views.map((v) => ev.prop(v, 'url'))).toContain(`${base}/app/dashboard`);
    for (const v of views) {
      expect(ev.context(v)['page'], String(ev.prop(v, 'url'))).toMatchObject({
        url: ev.prop(v, 'url'),
        path: ev.prop(v, 'path'),
      });
    }
  });
});
