// What Spoor captures by itself: launch and entry attribution, sessions, page views and leaves,
// shares with the sharer's ID, taps, context, identities. Built bundle, harness, real collector().
import { describe, expect, it } from 'vitest';
import { bootSpoor, mine, props, useCollector } from './kit.js';

const collector = useCollector();

describe('entry attribution', () => {
  it('an app launched from a shared card records who shared it, and the campaign', async () => {
    const { mp, spoor } = bootSpoor(collector());
    mp.definePage('pages/index/index', {});
    mp.launch({
      scene: 1007,
      path: 'pages/index/index',
      query: { spoor_sharer: 'anon-of-the-sharer', utm_source: 'wechat', utm_campaign: 'spring' },
      shareTicket: 'ticket-1',
    });
    spoor.track('Signed Up');
    const [launch] = await collector().waitFor('launch', mine(spoor.anonymousId, '$MPLaunch'));
    expect(props(launch)).toMatchObject({
      scene: 1007,
      path: 'pages/index/index',
      sharer: 'anon-of-the-sharer',
      shareTicket: true,
    });
    // Every event of the session carries its entry.
    const [signup] = await collector().waitFor('signup', mine(spoor.anonymousId, 'Signed Up'));
    expect(signup!['context']).toMatchObject({
      referrer: { type: 'wechat_share', id: 'anon-of-the-sharer' },
      campaign: { source: 'wechat', name: 'spring' },
    });
  });

  it('an app opened from another mini-program records its app ID', async () => {
    const { mp, spoor } = bootSpoor(collector());
    mp.definePage('pages/index/index', {});
    mp.launch({ scene: 1037, referrerInfo: { appId: 'wxother', extraData: { k: 1 } } });
    const [launch] = await collector().waitFor('launch', mine(spoor.anonymousId, '$MPLaunch'));
    expect(props(launch)['referrerAppId']).toBe('wxother');
    expect(launch!['context']).toMatchObject({
      referrer: { type: 'wechat_miniprogram', id: 'wxother' },
    });
  });
});

describe('sessions, show and hide', () => {
  it('a short trip to the background keeps the session; a long one or another scene starts one', async () => {
    const { mp, spoor } = bootSpoor(collector(), { spoor: { sessionTimeout: 150 } });
    mp.definePage('pages/index/index', {});
    mp.launch({ scene: 1001, query: { n: '0' } });
    mp.hide();
    mp.show({ scene: 1001, query: { n: '1' } });
    mp.hide();
    await new Promise((resolve) => setTimeout(resolve, 200));
    mp.show({ scene: 1001, query: { n: '2' } });
    mp.hide();
    mp.show({ scene: 1011, query: { n: '3', utm_source: 'poster' } });
    mp.hide();
    const shows = await collector().waitFor('shows', mine(spoor.anonymousId, '$MPShow'), 4);
    // Requests may overtake each other (two at a time), so the stored order is not the call order.
    const byN = new Map(shows.map((e) => [(props(e)['query'] as { n: string }).n, e]));
    const session = (n: string) =>
      (byN.get(n)!['context'] as Record<string, unknown>)['sessionId'] as string;
    expect(session('1')).toBe(session('0'));
    expect(session('2')).not.toBe(session('1'));
    expect(session('3')).not.toBe(session('2'));
    expect(byN.get('3')!['context']).toMatchObject({ campaign: { source: 'poster' } });
    expect(byN.get('2')!['context']).not.toHaveProperty('campaign');
    const hides = await collector().waitFor('hides', mine(spoor.anonymousId, '$MPHide'), 4);
    for (const hide of hides) expect(props(hide)['durationMs']).toBeGreaterThanOrEqual(0);
  });
});

describe('page views and leaves', () => {
  it('records path, query, title (app.json), the previous page, and time on the page', async () => {
    const { mp, spoor } = bootSpoor(collector(), {
      harness: {
        window: { navigationBarTitleText: 'Tea Shop' },
        pageWindows: { 'pages/item/item': { navigationBarTitleText: 'Product' } },
      },
      spoor: { titles: { 'pages/cart/cart': 'Your cart' } },
    });
    for (const route of ['pages/index/index', 'pages/item/item', 'pages/cart/cart']) {
      mp.definePage(route, {});
    }
    mp.launch();
    mp.open('pages/item/item', { sku: 'tea-01' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    mp.redirect('pages/cart/cart');
    const views = await collector().waitFor('views', mine(spoor.anonymousId, '$MPViewScreen'), 3);
    expect(views.map(props)).toEqual([
      { path: 'pages/index/index', query: {}, title: 'Tea Shop' },
      {
        path: 'pages/item/item',
        query: { sku: 'tea-01' },
        title: 'Product',
        referrer: 'pages/index/index',
      },
      { path: 'pages/cart/cart', query: {}, title: 'Your cart', referrer: 'pages/item/item' },
    ]);
    expect(views[1]!['context']).toMatchObject({ page: { path: 'pages/item/item' } });
    const leaves = await collector().waitFor('leaves', mine(spoor.anonymousId, '$MPPageLeave'), 2);
    expect(props(leaves[1])).toMatchObject({ path: 'pages/item/item', title: 'Product' });
    // Date.now() counts whole milliseconds: 30 ms of sleep may read as 29.
    expect(props(leaves[1])['durationMs']).toBeGreaterThanOrEqual(25);
  });

  it("an event a page tracks in its onLoad carries that page's context", async () => {
    const { mp, spoor } = bootSpoor(collector());
    mp.definePage('pages/index/index', {});
    mp.definePage(
      'pages/item/item',
      `Page({ onLoad: function (q) { spoor.track('Product Viewed', { sku: q.sku }); } })`,
    );
    mp.launch();
    mp.open('pages/item/item', { sku: 'tea-01' });
    const [viewed] = await collector().waitFor('viewed', mine(spoor.anonymousId, 'Product Viewed'));
    expect(viewed!['context']).toMatchObject({ page: { path: 'pages/item/item' } });
  });

  it('each part of autocapture can be switched off', async () => {
    const { mp, spoor } = bootSpoor(collector(), {
      spoor: { autocapture: { launch: false, pageViews: false, pageLeave: false } },
    });
    mp.definePage('pages/index/index', {});
    mp.definePage('pages/item/item', {});
    mp.launch();
    mp.open('pages/item/item');
    mp.hide();
    await collector().waitFor('hide', mine(spoor.anonymousId, '$MPHide'));
    const names = (await collector().events())
      .filter((e) => e['anonymousId'] === spoor.anonymousId)
      .map((e) => e['event']);
    expect(names).toEqual(['$MPShow', '$MPHide']);
  });
});
