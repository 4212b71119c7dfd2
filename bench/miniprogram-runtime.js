// One WeChat mini-program's JavaScript world, in a node:vm context: only the globals WeChat
// gives a mini-program (wx, App, Page, Component, getApp, getCurrentPages, console, timers,
// __wxConfig, global), a `wx` fake with WeChat's storage semantics and a request that answers
// 200, and a driver for the app and page lifecycle in WeChat's order. Each SDK gets its own
// runtime, and `dispose()` stops every timer it left (Sensors re-arms two timers forever).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import vm from 'node:vm';

export const ROUTE = 'pages/product/index';
const KEY_LIMIT = 1024 * 1024; // WeChat: 1 MB per key, 10 MB in all
const TOTAL_LIMIT = 10 * 1024 * 1024;

// An iPhone 13 on WeChat 8.0.54, base library 3.7.3: what the getters answer.
const DEVICE = { brand: 'iPhone', model: 'iPhone 13<iPhone14,5>', system: 'iOS 17.5.1' };
const SCREEN = { pixelRatio: 3, screenWidth: 390, screenHeight: 844 };
const WINDOW = { ...SCREEN, windowWidth: 390, windowHeight: 753, statusBarHeight: 47 };
const BASE = { SDKVersion: '3.7.3', language: 'zh_CN', version: '8.0.54', theme: 'light' };
const SYSTEM = { ...DEVICE, ...WINDOW, ...BASE, platform: 'ios', fontSizeSetting: 17 };
const launchOptions = () => ({ path: ROUTE, query: {}, scene: 1001, referrerInfo: {} });

/** A fresh mini-program runtime; `requests` records every wx.request in order. */
export function createRuntime() {
  const timers = new Set();
  const later = (fn, ms, args = []) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn(...args);
    }, ms);
    timers.add(timer);
    return timer;
  };
  const every = (fn, ms, args = []) => {
    const timer = setInterval(() => fn(...args), ms);
    timers.add(timer);
    return timer;
  };
  const stop = (timer) => {
    timers.delete(timer);
    clearTimeout(timer);
  };
  /** WeChat's asynchronous APIs answer in a later task, through success (or fail) and complete. */
  const answer = (options, result, ok = true) =>
    later(() => {
      (ok ? options?.success : options?.fail)?.(result);
      options?.complete?.(result);
    }, 0);

  const storage = new Map();
  let storedBytes = 0;
  const listeners = { appShow: [], appHide: [], network: [] };
  const requests = [];
  const net = { inFlight: 0, lastAt: 0 };
  const logs = [];
  let realmJson = JSON; // replaced by the context's own once it exists

  const wx = {
    // Storage keeps JSON text: every read is a fresh copy, a missing key reads ''. WeChat also
    // serialises, then writes natively across its bridge: this costs less than the real thing.
    getStorageSync: (key) => (storage.has(key) ? realmJson.parse(storage.get(key)) : ''),
    setStorageSync(key, value) {
      const text = realmJson.stringify(value) ?? 'null';
      const bytes = Buffer.byteLength(key) + Buffer.byteLength(text);
      const old = storage.has(key)
        ? Buffer.byteLength(key) + Buffer.byteLength(storage.get(key))
        : 0;
      if (bytes > KEY_LIMIT) throw new Error('setStorageSync:fail exceed storage item max length');
      if (storedBytes - old + bytes > TOTAL_LIMIT)
        throw new Error('setStorageSync:fail exceed storage max size');
      storage.set(key, text);
      storedBytes += bytes - old;
    },
    removeStorageSync(key) {
      if (storage.has(key))
        storedBytes -= Buffer.byteLength(key) + Buffer.byteLength(storage.get(key));
      storage.delete(key);
    },
    request(options) {
      requests.push({ url: options.url, method: options.method ?? 'GET', data: options.data });
      net.inFlight++;
      net.lastAt = performance.now();
      later(() => {
        net.inFlight--;
        const res = { statusCode: 200, data: '{}', header: {}, errMsg: 'request:ok' };
        options.success?.(res);
        options.complete?.(res);
      }, 0);
      return { abort() {}, onHeadersReceived() {}, offHeadersReceived() {} };
    },
    getSystemInfoSync: () => ({ ...SYSTEM }),
    getDeviceInfo: () => ({ ...DEVICE, platform: 'ios', benchmarkLevel: -1, memorySize: 4096 }),
    getWindowInfo: () => ({ ...WINDOW }),
    getAppBaseInfo: () => ({ ...BASE, enableDebug: false, host: { env: 'WeChat' } }),
    getAccountInfoSync: () => ({
      miniProgram: { appId: 'wx8d3a51c0c3b6e2f1', envVersion: 'release', version: '1.4.2' },
    }),
    getNetworkType: (options) => answer(options, { networkType: 'wifi', errMsg: 'ok' }),
    onNetworkStatusChange: (fn) => listeners.network.push(fn),
    onAppShow: (fn) => listeners.appShow.push(fn),
    onAppHide: (fn) => listeners.appHide.push(fn),
    getLaunchOptionsSync: launchOptions,
    getEnterOptionsSync: launchOptions,
    // Beyond the list above, what Sensors calls while it loads and initialises: getSystemInfo
    // (its init waits for this callback and for getNetworkType's before it sends anything),
    // getStorage (its unsent events from a previous run), and setNavigationBarTitle, which it
    // redefines at load time to learn page titles (so it must exist and be configurable).
    getSystemInfo: (options) => answer(options, { ...SYSTEM, errMsg: 'getSystemInfo:ok' }),
    getStorage(options) {
      const found = storage.has(options.key);
      const data = found ? wx.getStorageSync(options.key) : undefined;
      answer(
        options,
        { data, errMsg: `getStorage:${found ? 'ok' : 'fail data not found'}` },
        found,
      );
    },
    setNavigationBarTitle: (options) => answer(options, { errMsg: 'setNavigationBarTitle:ok' }),
  };

  let app = null;
  let registered = null;
  const pages = [];
  const record =
    (level) =>
    (...args) =>
      logs.length < 50 && logs.push(`${level}: ${args.map(String).join(' ').slice(0, 300)}`);
  const context = vm.createContext({
    wx,
    App: (options) => void (app = options),
    Page: (options) => void (registered = options),
    Component: (options) => void (registered = options),
    getApp: () => app,
    getCurrentPages: () => pages.slice(),
    // WeChat's build of app.json: page titles, which both SDKs read. Without it, Sensors would
    // throw and catch a ReferenceError in every event.
    __wxConfig: {
      global: { window: { navigationBarTitleText: 'Tea shop' } },
      page: { [`${ROUTE}.html`]: { window: { navigationBarTitleText: 'Product' } } },
      pages: [ROUTE],
      entryPagePath: `${ROUTE}.html`,
    },
    console: Object.fromEntries(
      ['log', 'info', 'debug', 'warn', 'error'].map((l) => [l, record(l)]),
    ),
    setTimeout: (fn, ms, ...args) => later(fn, ms, args),
    clearTimeout: stop,
    setInterval: (fn, ms, ...args) => every(fn, ms, args),
    clearInterval: stop,
  });
  const run = (code) => vm.runInContext(code, context);
  realmJson = run('JSON');
  // WeChat's module-shared object: Sensors reads global.sensors_data_pre_config in every call.
  run('globalThis.global = {}');
  const call = (target, name, ...args) => {
    if (typeof target?.[name] === 'function') target[name](...args);
  };

  return {
    requests,
    net,
    logs,
    /** Source code evaluated in the context (a function's text, to be called from here). */
    run,
    /** Loads a CommonJS file as WeChat's npm runtime does; returns its exports. */
    load(file) {
      const source = readFileSync(file, 'utf8');
      const factory = vm.runInContext(
        `(function (module, exports, require) {${source}\n})`,
        context,
        {
          filename: file,
        },
      );
      const module = run('({ exports: {} })');
      const require = run(
        `(function (name) { throw new Error('require("' + name + '"): not in this mini-program'); })`,
      );
      factory.call(module.exports, module, module.exports, require);
      return module.exports;
    },
    /** `App({})` through the context's current global, then onLaunch and onShow, as WeChat does. */
    launch() {
      run('App({})');
      call(app, 'onLaunch', launchOptions());
      this.show();
    },
    /** Registers a page through the current `Page` and shows it: onLoad, onShow. */
    openPage(query) {
      run('Page({})');
      const page = Object.assign(run('({})'), registered, { route: ROUTE, options: query });
      page.setData = () => {};
      pages.push(page);
      call(page, 'onLoad', query);
      call(page, 'onShow');
    },
    /** To the background: the page's onHide, the app's, then the wx.onAppHide listeners. */
    hide() {
      const page = pages.at(-1);
      if (page) call(page, 'onHide');
      call(app, 'onHide');
      for (const fn of listeners.appHide) fn();
    },
    /** To the foreground: the app's onShow, the wx.onAppShow listeners, then the page's onShow. */
    show() {
      const options = launchOptions();
      call(app, 'onShow', options);
      for (const fn of listeners.appShow) fn(launchOptions());
      const page = pages.at(-1);
      if (page) call(page, 'onShow');
    },
    dispose() {
      for (const timer of timers) {
        clearTimeout(timer);
        clearInterval(timer);
      }
      timers.clear();
    },
  };
}
