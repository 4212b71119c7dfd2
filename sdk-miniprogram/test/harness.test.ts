import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createWx,
  startEchoServer,
  startMiniProgram,
  startMiniProgramCollector,
  until,
  type EchoServer,
} from './harness/index.js';
import { TINY_APP, writeTinyBundle, type TinyBundle } from './harness/tiny-bundle.js';

const bundlePath = writeTinyBundle();
let server: EchoServer;
beforeAll(async () => {
  server = await startEchoServer();
});
afterAll(async () => {
  await server.close();
  rmSync(dirname(bundlePath), { recursive: true, force: true });
});

/** A mini-program with the bundle and app.js loaded and two pages defined. */
function boot(options: Parameters<typeof startMiniProgram>[0] = {}) {
  const mp = startMiniProgram({ pages: ['pages/index/index', 'pages/detail/detail'], ...options });
  const sdk = mp.loadBundle(bundlePath) as TinyBundle;
  mp.run(TINY_APP, 'app.js');
  mp.definePage('pages/index/index', { data: { list: [1] }, onLoad() {}, onShow() {} });
  mp.definePage('pages/detail/detail', `Page({ onLoad: function (q) { this.loaded = q.id; } });`);
  return { mp, sdk };
}

describe('wx storage', () => {
  it('stores JSON copies, reads missing keys as "" and enforces 1 MB per key, 10 MB in all', async () => {
    const fake = createWx();
    const { wx } = fake;
    const value = { a: [1, { b: 2 }] };
    wx.setStorageSync('obj', value);
    const read = wx.getStorageSync<typeof value>('obj');
    expect(read).toEqual(value);
    expect(read).not.toBe(value);
    read.a.push(3);
    expect(wx.getStorageSync('obj')).toEqual(value);
    expect(wx.getStorageSync('missing')).toBe('');
    wx.setStorageSync('n', 42);
    expect(wx.getStorageSync('n')).toBe(42);
    await expect(wx.getStorage({ key: 'missing' })).rejects.toEqual({
      errMsg: 'getStorage:fail data not found',
    });

    const mb = 1024 * 1024;
    expect(() => wx.setStorageSync('big', 'x'.repeat(mb))).toThrow(/exceed/);
    for (let i = 0; i < 10; i++) wx.setStorageSync(`k${i}`, 'x'.repeat(mb - 100));
    expect(fake.storageChars()).toBeLessThanOrEqual(10 * mb);
    expect(() => wx.setStorageSync('one-more', 'x'.repeat(1000))).toThrow(/exceed/);
    const failed = await new Promise<string>((resolve) =>
      wx.setStorage({ key: 'async', data: 'x'.repeat(1000), fail: (e) => resolve(e.errMsg) }),
    );
    expect(failed).toMatch(/^setStorage:fail .*exceed/);
    wx.removeStorageSync('k0');
    wx.setStorageSync('one-more', 'x'.repeat(1000));
    expect(wx.getStorageInfoSync().keys).toContain('one-more');
  });

  it('hands values to the mini-program as objects of its own realm', () => {
    const mp = startMiniProgram();
    const checks =
      mp.run(`var o = { a: [1] }; wx.setStorageSync('k', o); var r = wx.getStorageSync('k');
      [r !== o, r.a instanceof Array, r.constructor === Object, wx.getStorageSync('none') === '']`);
    expect(checks).toEqual([true, true, true, true]);
  });
});

describe('wx.request', () => {
  it('posts JSON to a real server and calls success then complete with statusCode', async () => {
    const { mp, sdk } = boot();
    const sent = sdk.send(`${server.url}/v1/batch?status=201`, { batch: [1] });
    await until('the response', () => sent.done);
    expect(sent.res).toMatchObject({ statusCode: 201, errMsg: 'request:ok' });
    expect(sent.res?.data).toMatchObject({ method: 'POST', body: '{"batch":[1]}' });
    const got = server.received.at(-1);
    expect(got?.headers['content-type']).toBe('application/json');
    expect(got?.headers['referer']).toMatch(/^https:\/\/servicewechat\.com\/wx/);
    expect(got?.headers['origin']).toBeUndefined();
    expect(mp.fake.requests[0]).toMatchObject({
      method: 'POST',
      outcome: 'success',
      answered: true,
    });
  });

  it('encodes GET data as a query and keeps text for dataType "text"', async () => {
    const { wx } = createWx();
    const res = await new Promise<WechatMiniprogram.RequestSuccessCallbackResult>((resolve) =>
      wx.request({
        url: `${server.url}/q`,
        data: { a: 1, b: 'x y' },
        dataType: 'text',
        success: resolve,
      }),
    );
    expect(typeof res.data).toBe('string');
    expect(server.received.at(-1)?.url).toBe('/q?a=1&b=x%20y');
  });

  it('fails offline without reaching the server, and fires onNetworkStatusChange', async () => {
    const { mp, sdk } = boot();
    mp.run(`var changes = []; wx.onNetworkStatusChange(function (s) { changes.push(s); });`);
    const before = server.received.length;
    mp.fake.setNetwork({ isConnected: false });
    const sent = sdk.send(`${server.url}/x`, {});
    expect(sent.done).toBe(false);
    await until('the failure', () => sent.done);
    expect(sent.err?.errMsg).toMatch(/^request:fail /);
    expect(server.received.length).toBe(before);
    expect(mp.run('changes')).toEqual([{ isConnected: false, networkType: 'none' }]);
  });

  it('queues beyond 10 concurrent requests and counts what was in flight', async () => {
    const { mp, sdk } = boot();
    const all = Array.from({ length: 12 }, () => sdk.send(`${server.url}/c?delay=150`, {}));
    expect(mp.fake.inFlight).toBe(12);
    await until('all responses', () => all.every((s) => s.done));
    expect(mp.fake.maxInFlight).toBe(12);
    expect(server.maxConcurrent).toBe(10);
  });

  it('fails, holds and times out requests on demand', async () => {
    const { mp, sdk } = boot();
    mp.fake.failRequests(1);
    const failed = sdk.send(`${server.url}/f`, {});
    const ok = sdk.send(`${server.url}/f`, {});
    await until('both', () => failed.done && ok.done);
    expect([failed.err?.errMsg.startsWith('request:fail'), ok.res?.statusCode]).toEqual([
      true,
      200,
    ]);
    const release = mp.fake.holdRequests();
    const before = server.received.length;
    const held = sdk.send(`${server.url}/h`, {});
    await sleep(50);
    expect([held.done, server.received.length, mp.fake.inFlight]).toEqual([false, before, 1]);
    release();
    await until('the held request', () => held.done);
    const res = await new Promise<string>((resolve) =>
      mp.wx.request({
        url: `${server.url}/t?delay=500`,
        timeout: 30,
        fail: (e) => resolve(e.errMsg),
      }),
    );
    expect(res).toBe('request:fail timeout');
  });
});

describe('the mini-program context', () => {
  it('has only mini-program globals and no ES2020+ built-ins', () => {
    const mp = startMiniProgram();
    const names = ['window', 'document', 'fetch', 'process', 'Buffer', 'URL', 'TextEncoder'];
    names.push('structuredClone', 'globalThis', 'localStorage', 'navigator', 'AggregateError');
    expect(mp.run(`[${names.map((n) => `typeof ${n}`).join(',')}]`)).toEqual(
      names.map(() => 'undefined'),
    );
    const modern = `[typeof [].at, typeof ''.replaceAll, typeof Promise.allSettled, typeof Object.hasOwn]`;
    expect(mp.run(modern)).toEqual(['undefined', 'undefined', 'undefined', 'undefined']);
    expect(
      mp.runModule('module.exports = [typeof window, typeof wx, typeof __wxConfig.pages];'),
    ).toEqual(['undefined', 'object', 'object']);
    expect(() => mp.run(`require('fs')`)).toThrow(/module 'fs.js' is not defined/);
    expect(() => mp.run(`new Function('return 1')`)).toThrow(/Code generation/);
    expect(() => mp.run(`[1].at(-1)`)).toThrow(/is not a function/);
    expect(startMiniProgram({ modernBuiltins: true }).run('[1, 2].at(-1)')).toBe(2);
  });
  it('offers the async and device APIs an SDK calls', async () => {
    const mp = startMiniProgram({ device: { system: { platform: 'android' } } });
    expect((await mp.wx.getRandomValues({ length: 16 })).randomValues.byteLength).toBe(16);
    const facts = `[wx.getDeviceInfo().platform, wx.getAccountInfoSync().miniProgram.envVersion,
      wx.canIUse('request'), wx.canIUse('switchTab'), getApp({ allowDefault: true }) !== undefined]`;
    expect(mp.run(facts)).toEqual(['android', 'release', true, false, true]);
  });
});

describe('lifecycle', () => {
  it('runs App and Page hooks in WeChat order through the SDK wrappers', () => {
    const { mp, sdk } = boot();
    mp.launch({ scene: 1047, query: { from: 'qr' } });
    mp.open('pages/detail/detail', { id: 7 });
    expect(mp.top?.['loaded']).toBe('7');
    expect(mp.run('getCurrentPages().map(function (p) { return p.route; })')).toEqual([
      'pages/index/index',
      'pages/detail/detail',
    ]);
    mp.back();
    mp.hide();
    mp.show({ scene: 1007 });
    const [idx, det] = ['pages/index/index', 'pages/detail/detail'];
    expect(mp.calls).toEqual([
      ...['app.onLaunch', 'app.onShow', `${idx}.onLoad`, `${idx}.onShow`],
      ...[`${idx}.onHide`, `${det}.onLoad`, `${det}.onShow`, `${det}.onUnload`, `${idx}.onShow`],
      ...[`${idx}.onHide`, 'app.onHide', 'app.onShow', `${idx}.onShow`],
    ]);
    expect(sdk.log.slice(0, 4)).toEqual(['sdk.onLaunch', 'sdk.onShow', 'sdk.onLoad', 'sdk.onShow']);
    expect(mp.wx.getLaunchOptionsSync()).toMatchObject({ scene: 1047, query: { from: 'qr' } });
    expect(mp.wx.getEnterOptionsSync().scene).toBe(1007);
    expect(mp.run('getApp().globalData')).toEqual({ who: 'app', hidden: true });
  });

  it('runs Component pages with lifetimes, properties from the query and tap events', () => {
    const { mp, sdk } = boot();
    mp.definePage(
      'pages/c/c',
      `Component({ properties: { id: String }, data: { n: 1 },
        lifetimes: { created: function () {}, attached: function () {}, detached: function () {} },
        methods: { onLoad: function () {}, onShow: function () {},
          pick: function (e) { return [this.data.id, e.type, e.currentTarget.dataset.sku]; } } });`,
    );
    mp.launch();
    const page = mp.open('pages/c/c', { id: 'x1' });
    expect(page.data).toEqual({ n: 1, id: 'x1' });
    expect(mp.tap('pick', { id: 'btn', dataset: { sku: 's-1' } })).toEqual(['x1', 'tap', 's-1']);
    mp.redirect('pages/detail/detail', { id: 2 });
    const c = 'pages/c/c';
    expect(mp.calls.filter((call) => call.startsWith(c))).toEqual([
      ...[`${c}.created`, `${c}.attached`, `${c}.onLoad`, `${c}.onShow`, `${c}.pick`],
      ...[`${c}.detached`],
    ]);
    expect(sdk.log).toContain('sdk.onLoad');
  });

  it('reports errors thrown by hooks to App.onError and throws after the step', () => {
    const mp = startMiniProgram();
    mp.run(`var seen = []; App({ onError: function (e) { seen.push(e); } });`);
    mp.definePage(
      'pages/index/index',
      `Page({ onShow: function () { throw new Error('boom'); } })`,
    );
    expect(() => mp.launch()).toThrow(/boom/);
    expect(mp.calls).toContain('pages/index/index.onShow');
    expect(String(mp.run('seen[0]'))).toMatch(/boom/);
  });
});

describe('share, freezing and killing', () => {
  it('reports a page without onShareAppMessage as unshareable and waits for a promise', async () => {
    const { mp } = boot();
    mp.launch();
    expect(await mp.share()).toMatchObject({ available: false });
    mp.definePage('pages/s/s', {
      onShareAppMessage(this: { route: string }, o: { from: string }) {
        const later = new Promise((resolve) => setTimeout(() => resolve({ title: 'later' }), 10));
        return { title: `${this.route} ${o.from}`, promise: later };
      },
    });
    mp.open('pages/s/s');
    const outcome = await mp.share();
    expect(outcome).toMatchObject({ available: true, promise: 'resolved' });
    expect(outcome.available && outcome.content).toEqual({
      title: 'later',
      path: '/pages/s/s',
      imageUrl: undefined,
    });
    expect(mp.shareTimeline()).toMatchObject({ available: false });
  });

  it('freezes timers after onHide while a synchronous send still goes out', async () => {
    const { mp, sdk } = boot();
    mp.launch();
    const url = `${server.url}/hide`;
    const before = server.received.length;
    mp.run(
      `var fired = 0; wx.onAppHide(function () { setTimeout(function () { fired++; }, 0); });`,
    );
    const sent = sdk.send(url, { at: 'hide' });
    mp.hide({ freeze: true });
    await sleep(100);
    expect([mp.run('fired'), server.received.length - before, sent.done]).toEqual([0, 1, false]);
    mp.show();
    await until('the thawed timer and callback', () => mp.run('fired') === 1 && sent.done);
  });

  it('kill cancels timers and discards the context; a relaunch keeps storage', async () => {
    const first = startMiniProgram();
    first.run(`wx.setStorageSync('queue', [{ id: 1 }]); setInterval(function () {}, 10);`);
    expect(first.pendingTimers).toBe(1);
    first.kill();
    expect(first.pendingTimers).toBe(0);
    expect(() => first.context).toThrow(/killed/);
    const second = startMiniProgram({ storage: first.storage });
    expect(second.run(`wx.getStorageSync('queue')`)).toEqual([{ id: 1 }]);
  });
});

describe('collector', () => {
  it('stores what the mini-program sends to a real collector', async () => {
    const collector = await startMiniProgramCollector();
    try {
      const { sdk } = boot();
      const auth = `Basic ${Buffer.from(`${collector.writeKey}:`).toString('base64')}`;
      const event = { type: 'track', event: 'Harness Ping', messageId: 'mp-1', anonymousId: 'a-1' };
      const sent = sdk.send(
        `${collector.url}/v1/batch`,
        { batch: [event] },
        { authorization: auth },
      );
      await until('the response', () => sent.done);
      expect(sent.res?.statusCode).toBe(200);
      const [stored] = await collector.waitFor('the ping', (e) => e['event'] === 'Harness Ping');
      expect(stored?.['messageId']).toBe('mp-1');
    } finally {
      await collector.close();
    }
  });
});
