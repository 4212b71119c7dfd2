// Shares carry the sharer; the page's own share settings are kept exactly. Taps, identities and
// context. Built bundle, harness, real collector().
import { describe, expect, it } from 'vitest';
import { bootSpoor, mine, props, useCollector } from './kit.js';

const collector = useCollector();

describe('share attribution', () => {
  it("keeps the page's custom share settings and appends the sharer to its path", async () => {
    const { mp, spoor } = bootSpoor(collector());
    const custom = {
      title: '送你一杯茶',
      imageUrl: '/img/tea.png',
      path: '/pages/item/item?sku=tea-01',
    };
    mp.definePage('pages/index/index', {});
    mp.definePage('pages/item/item', {
      onShareAppMessage(event: { from: string }) {
        return { ...custom, extra: event.from };
      },
    });
    mp.launch();
    mp.open('pages/item/item', { sku: 'tea-01' });
    const shared = await mp.share({ from: 'button', target: { id: 'share-btn' } });
    expect(shared.available).toBe(true);
    if (!shared.available) return;
    expect(shared.returned).toEqual({
      ...custom,
      extra: 'button',
      path: `/pages/item/item?sku=tea-01&spoor_sharer=${spoor.anonymousId}`,
    });
    expect(shared.content.title).toBe('送你一杯茶');
    expect(shared.content.imageUrl).toBe('/img/tea.png');
    const [share] = await collector().waitFor('share', mine(spoor.anonymousId, '$MPShare'));
    expect(props(share)).toMatchObject({
      type: 'message',
      from: 'button',
      path: 'pages/item/item',
    });
  });

  it('shares the current page with its query when the handler returns nothing; a re-share replaces the sharer', async () => {
    const { mp, spoor } = bootSpoor(collector(), { spoor: { shareParam: 'from_user' } });
    mp.definePage('pages/index/index', { onShareAppMessage() {} });
    mp.launch({ query: { sku: 'tea 02', from_user: 'first-sharer' } });
    const shared = await mp.share();
    expect(shared.available && shared.content.path).toBe(
      `/pages/index/index?sku=tea%2002&from_user=${spoor.anonymousId}`,
    );
  });

  it('follows a promise of share settings (base library 2.12) to its result', async () => {
    const { mp, spoor } = bootSpoor(collector());
    mp.definePage(
      'pages/index/index',
      `Page({ onShareAppMessage: function () {
        return { title: 'now', promise: new Promise(function (resolve) {
          setTimeout(function () { resolve({ title: 'later', path: '/pages/cart/cart?c=1' }); }, 10);
        }) };
      } })`,
    );
    mp.launch();
    const shared = await mp.share();
    expect(shared.available && shared.promise).toBe('resolved');
    expect(shared.available && shared.content).toMatchObject({
      title: 'later',
      path: `/pages/cart/cart?c=1&spoor_sharer=${spoor.anonymousId}`,
    });
  });

  it('adds the sharer to the Moments (timeline) query', async () => {
    const { mp, spoor } = bootSpoor(collector());
    mp.definePage('pages/index/index', {
      onShareAppMessage: () => ({ title: 'x' }),
      onShareTimeline: () => ({ title: 'Moments', query: 'sku=tea-01' }),
    });
    mp.launch();
    const shared = mp.shareTimeline();
    expect(shared.available && shared.content).toMatchObject({
      title: 'Moments',
      query: `sku=tea-01&spoor_sharer=${spoor.anonymousId}`,
    });
    const [share] = await collector().waitFor('share', mine(spoor.anonymousId, '$MPShare'));
    expect(props(share)['type']).toBe('timeline');
  });

  it('adds no share handler to a page without one (that would turn the share menu on)', async () => {
    const { mp } = bootSpoor(collector());
    mp.definePage('pages/index/index', { onShow() {} });
    mp.launch();
    expect((await mp.share()).available).toBe(false);
    expect(mp.shareTimeline().available).toBe(false);
  });
});

describe('taps, identities and context', () => {
  it('records taps on listed handlers only, with the element id and dataset', async () => {
    const { mp, spoor } = bootSpoor(collector(), { spoor: { autocapture: { taps: ['onBuy'] } } });
    mp.definePage('pages/index/index', {
      onBuy(this: { bought?: number }) {
        this.bought = (this.bought ?? 0) + 1;
        return 'bought';
      },
      onOther() {},
    });
    mp.launch();
    expect(mp.tap('onBuy', { id: 'buy', dataset: { sku: 'tea-01' } })).toBe('bought');
    mp.tap('onOther', { id: 'other' });
    expect(mp.top!['bought']).toBe(1);
    const [tap] = await collector().waitFor('tap', mine(spoor.anonymousId, '$MPClick'));
    expect(props(tap)).toEqual({
      handler: 'onBuy',
      id: 'buy',
      dataset: { sku: 'tea-01' },
      path: 'pages/index/index',
    });
    mp.hide();
    await collector().waitFor('hide', mine(spoor.anonymousId, '$MPHide'));
    const taps = (await collector().events()).filter(mine(spoor.anonymousId, '$MPClick'));
    expect(taps).toHaveLength(1);
  });

  it('binds openid, unionid and phone; the anonymous ID survives a relaunch', async () => {
    const first = bootSpoor(collector());
    first.mp.definePage('pages/index/index', {});
    first.mp.launch();
    first.spoor.bind({ wechat_openid: 'o-abc', wechat_unionid: 'u-abc', phone: '13800138000' });
    first.spoor.track('Logged In');
    const [login] = await collector().waitFor('login', mine(first.spoor.anonymousId, 'Logged In'));
    expect(login!['identities']).toEqual({
      wechat_openid: 'o-abc',
      wechat_unionid: 'u-abc',
      phone: '13800138000',
    });
    const storage = first.mp.storage;
    first.mp.kill();
    const again = bootSpoor(collector(), { harness: { storage } });
    await again.spoor.ready;
    expect(again.spoor.anonymousId).toBe(first.spoor.anonymousId);
  });

  it('describes the device and keeps the network type current', async () => {
    const { mp, spoor } = bootSpoor(collector(), { harness: { network: { networkType: '4g' } } });
    mp.definePage('pages/index/index', {});
    mp.launch();
    await spoor.ready;
    await new Promise((resolve) => setTimeout(resolve, 20));
    spoor.track('On 4G');
    mp.fake.setNetwork({ isConnected: true, networkType: 'wifi' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    spoor.track('On Wi-Fi');
    const [on4g] = await collector().waitFor('4g', mine(spoor.anonymousId, 'On 4G'));
    const [onWifi] = await collector().waitFor('wifi', mine(spoor.anonymousId, 'On Wi-Fi'));
    expect(on4g!['context']).toMatchObject({
      network: { type: '4g', cellular: true, wifi: false },
      device: { manufacturer: 'iPhone', type: 'wechat-miniprogram' },
      os: { name: 'iOS' },
      app: { namespace: 'wx0123456789abcdef' },
      wechat: { baseLibrary: '3.5.0' },
      library: { name: '@spoor/miniprogram' },
      locale: 'zh-CN',
    });
    expect(onWifi!['context']).toMatchObject({ network: { type: 'wifi', wifi: true } });
  });
});
