import { describe, expect, it } from 'vitest';
import { createWx, parsePageUrl, startMiniProgram, until } from './index.js';

const PAGES = ['pages/a/a', 'pages/b/b', 'pages/c/c'];

/** A mini-program whose pages navigate with wx's route APIs and record what they saw. */
function boot() {
  const mp = startMiniProgram({ pages: PAGES });
  mp.run(`var seen = []; App({});`);
  const page = (name: string) => `Page({
    onLoad: function (q) { seen.push('${name}.onLoad ' + JSON.stringify(q)); },
    onShow: function () {}, onReady: function () {}, onHide: function () {}, onUnload: function () {},
    go: function (e) {
      var url = e.currentTarget.dataset.url;
      wx.navigateTo({ url: url,
        success: function (r) { seen.push('success ' + r.errMsg + ' ' + typeof r.eventChannel.on); },
        fail: function (r) { seen.push('fail ' + r.errMsg); } });
      seen.push('after the call, top is ' + getCurrentPages().pop().route);
    },
  });`;
  for (const [i, route] of PAGES.entries()) mp.definePage(route, page(String(i)));
  mp.launch();
  return mp;
}

const seen = (mp: ReturnType<typeof boot>) => mp.run('seen') as string[];

describe('route APIs', () => {
  it('parses page URLs, relative to the current page, leaving values undecoded', () => {
    expect(parsePageUrl('/pages/b/b?id=1&q=a%20b&flag', 'pages/a/a')).toEqual({
      route: 'pages/b/b',
      query: { id: '1', q: 'a%20b', flag: '' },
    });
    expect(parsePageUrl('../c/c', 'pages/a/a').route).toBe('pages/c/c');
    expect(parsePageUrl('b', 'pages/b/a').route).toBe('pages/b/b');
  });

  it('navigateTo navigates after the caller returns, then calls success', async () => {
    const mp = boot();
    mp.tap('go', { dataset: { url: '../b/b?id=7' } });
    expect(mp.top?.route).toBe('pages/a/a');
    await until('the navigation', () => seen(mp).length === 4);
    expect(seen(mp)).toEqual([
      '0.onLoad {}',
      'after the call, top is pages/a/a',
      '1.onLoad {"id":"7"}',
      'success navigateTo:ok function',
    ]);
    expect(mp.calls.slice(-4)).toEqual([
      'pages/a/a.onHide',
      'pages/b/b.onLoad',
      'pages/b/b.onShow',
      'pages/b/b.onReady',
    ]);
    mp.tap('go', { dataset: { url: '/pages/nope/nope' } });
    await until('the failure', () => seen(mp).length === 6);
    expect(seen(mp)[5]).toBe('fail navigateTo:fail page "pages/nope/nope" is not found');
  });

  it('navigateBack, redirectTo and reLaunch move the stack; the promise form rejects', async () => {
    const mp = boot();
    const wx = mp.wx;
    await wx.navigateTo({ url: '/pages/b/b' });
    await wx.navigateTo({ url: '/pages/c/c' });
    await wx.navigateBack({ delta: 5 });
    expect(mp.pages.map((p) => p.route)).toEqual(['pages/a/a']);
    await expect(wx.navigateBack()).rejects.toEqual({
      errMsg: 'navigateBack:fail cannot navigate back at first page.',
    });
    await wx.redirectTo({ url: '/pages/b/b?x=1' });
    expect(mp.pages.map((p) => [p.route, p.options])).toEqual([['pages/b/b', { x: '1' }]]);
    await wx.navigateTo({ url: '/pages/c/c' });
    await wx.reLaunch({ url: '/pages/a/a' });
    expect(mp.pages.map((p) => p.route)).toEqual(['pages/a/a']);
    expect(mp.calls.filter((c) => c.endsWith('onUnload'))).toEqual([
      'pages/c/c.onUnload',
      'pages/b/b.onUnload',
      'pages/a/a.onUnload',
      'pages/c/c.onUnload',
      'pages/b/b.onUnload',
    ]);
    for (let i = 1; i < 10; i++) await wx.navigateTo({ url: '/pages/b/b' });
    await expect(wx.navigateTo({ url: '/pages/b/b' })).rejects.toEqual({
      errMsg: 'navigateTo:fail webview count limit exceed',
    });
    await expect(createWx().wx.navigateTo({ url: '/pages/a/a' })).rejects.toMatchObject({
      errMsg: 'navigateTo:fail not supported outside a mini-program runtime',
    });
  });
});

describe('events and feedback', () => {
  it('hands a handler the event WeChat builds, and records toasts', async () => {
    const mp = startMiniProgram();
    mp.run('App({})');
    mp.definePage(
      'pages/index/index',
      `Page({ onPhone: function (e) {
        wx.showToast({ title: 'got ' + e.detail.code, icon: 'none' });
        return [e.type, e.currentTarget.id, e.detail.errMsg];
      } })`,
    );
    mp.launch();
    const detail = { errMsg: 'getPhoneNumber:ok', code: 'c-1' };
    const target = { id: 'phone' };
    expect(mp.trigger('onPhone', { type: 'getphonenumber', detail, target })).toEqual([
      'getphonenumber',
      'phone',
      'getPhoneNumber:ok',
    ]);
    expect(mp.fake.ui).toEqual([{ api: 'showToast', title: 'got c-1', icon: 'none' }]);
    await mp.wx.showLoading({ title: 'wait' });
    await mp.wx.hideLoading();
    expect(mp.fake.ui.map((u) => u.api)).toEqual(['showToast', 'showLoading', 'hideLoading']);
  });
});
