import { describe, expect, it } from 'vitest';
import { drain, openPage, useE2E } from './browser-kit.js';
import { duplicates, ev, storedWhere } from './stack.js';

const setup = useE2E();

const SECRET_EMAIL = 'secret-typed-value@example.com';
const SECRET_PASSWORD = 'hunter2-secret-pw';

describe('click autocapture in real Chromium', () => {
  it('tracks links, buttons and data-spoor-event elements, skips ignored ones and never sends what was typed', async () => {
    const { stack, context } = await setup({
      autocapture: { pageviews: true, clicks: { ignore: ['.private'] }, pageLeave: true },
    });
    const base = stack.site.origin;
    const { page, problems } = await openPage(context, stack, '/app/home');
    await storedWhere(stack, 'the page view', ev.isPage);

    await page.fill('#email', SECRET_EMAIL);
    await page.fill('#password', SECRET_PASSWORD);
    await page.click('#email');
    await page.click('#plain');
    await page.click('#private-button');
    await page.click('#buy');
    await page.click('#cart-label');
    await page.click('#promo');
    await page.click('#docs-link');
    await page.click('#send');
    await drain(page, stack);

    const stored = await stack.events();
    const clicks = stored.filter((e) => e['type'] === 'track' && !ev.isMarker(e));
    const byText = (text: string) => clicks.find((e) => ev.prop(e, 'text') === text);
    expect(
      clicks
        .filter((e) => e['event'] !== '$WebPageLeave')
        .map((e) => [e['event'], String(ev.prop(e, 'tag')).toLowerCase(), ev.prop(e, 'text')]),
    ).toEqual([
      ['$WebClick', 'button', 'Buy now'],
      // A click on the span inside a button is the button's.
      ['$WebClick', 'button', 'Cart'],
      ['Promo Clicked', 'div', 'Spring promo'],
      ['$WebClick', 'a', 'Read the docs'],
      ['$WebClick', 'button', 'Sign up'],
    ]);
    expect(ev.prop(byText('Read the docs'), 'href')).toMatch(/#more$/);
    for (const click of clicks.filter((e) => e['event'] !== '$WebPageLeave')) {
      expect(ev.prop(click, 'selector')).toEqual(expect.any(String));
      expect(ev.context(click)['page']).toMatchObject({ path: '/app/home' });
    }
    // The selector points at the element that was clicked.
    const selector = String(ev.prop(byText('Buy now'), 'selector'));
    expect(await page.evaluate((s) => document.querySelector(s)?.id, selector)).toBe('buy');

    expect(byText('Private action')).toBeUndefined();
    const everything = JSON.stringify(stored) + JSON.stringify(stack.proxy.requests);
    expect(everything).not.toContain(SECRET_EMAIL);
    expect(everything).not.toContain(SECRET_PASSWORD);
    expect(stored.filter(ev.isPage).map((e) => ev.prop(e, 'url'))).toEqual([
      `${base}/app/home`,
      `${base}/app/home#more`,
    ]);
    expect(await duplicates(stack)).toEqual({ stored: [], resent: [] });
    expect(problems).toEqual([]);
  });
});
