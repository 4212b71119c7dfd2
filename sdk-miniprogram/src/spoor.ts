import { createClient, resolveOptions, type SpoorClient } from '@spoor/sdk-core';
import { createCapture } from './capture.js';
import { deviceContext, networkOf } from './device.js';
import { createHideSends } from './hide-sends.js';
import {
  patchGlobals,
  wrapApp,
  wrapComponent,
  wrapPage,
  type LifecycleHooks,
} from './lifecycle.js';
import { autocaptureOf, type MiniProgramOptions } from './options.js';
import { createRequests, createWxStorage, memo, uuid } from './platform.js';
import { VERSION } from './version.js';

type Options = Record<string, unknown>;

/** The mini-program client: the core API, plus explicit wrappers for hosts that patch nothing. */
export interface Spoor extends SpoorClient {
  /** `App(spoor.wrapApp({ … }))`: the capture the global patch gives, without the patch. */
  wrapApp<T extends object>(options: T): T;
  /** `Page(spoor.wrapPage({ … }))`. */
  wrapPage<T extends object>(options: T): T;
  /** `Component(spoor.wrapComponent({ … }))`, for pages registered as components. */
  wrapComponent<T extends object>(options: T): T;
}

/** The hooks the patched globals call: the latest client's (one patch, however many clients). */
let active: LifecycleHooks | null = null;
const wrapped = new WeakSet<object>();

/** Wraps options once (the global patch and an explicit call may both see them); never throws. */
function observe(wrap: typeof wrapPage, hooks: () => LifecycleHooks | null) {
  return <T>(options: T): T => {
    const current = hooks();
    if (typeof options !== 'object' || options === null || !current || wrapped.has(options)) {
      return options;
    }
    try {
      wrap(options as Options, current);
      wrapped.add(options);
    } catch {
      // Frozen options: the page works, uncaptured.
    }
    return options;
  };
}
const patchedWith = {
  app: observe(wrapApp, () => active),
  page: observe(wrapPage, () => active),
  component: observe(wrapComponent, () => active),
};
let patched = false;

/**
 * Starts Spoor in a mini-program; call it in app.js before `App()`. Never throws; problems go
 * to `on('error')`.
 *
 * @example
 * const spoor = createSpoor({ writeKey: 'wk_…', host: 'https://t.example.com' });
 * spoor.bind({ wechat_openid: openid }); // once your server has it
 */
export function createSpoor(options: MiniProgramOptions): Spoor {
  const given = (typeof options === 'object' && options !== null ? options : {}) as Options &
    MiniProgramOptions;
  const prefix = typeof given.storagePrefix === 'string' ? given.storagePrefix : 'spoor.';
  const resolved = resolveOptions(given as unknown as Parameters<typeof resolveOptions>[0]);
  const url = resolved.host + resolved.path;
  const network: { online?: boolean; type: string } = { type: 'unknown' };
  const requests = createRequests(network);
  const device = deviceContext();
  const plugins = (given.plugins || []).slice();
  if (typeof given.beforeSend === 'function') {
    plugins.push({ name: 'beforeSend', filter: given.beforeSend });
  }
  const sent = createHideSends(`${prefix}sending`);
  const storage = createWxStorage(`${prefix}queue`);
  const capture = createCapture({
    autocapture: autocaptureOf(given.autocapture),
    shareParam: typeof given.shareParam === 'string' ? given.shareParam : 'spoor_sharer',
    sessionTimeout: typeof given.sessionTimeout === 'number' ? given.sessionTimeout : 30_000,
    titles: given.titles || {},
    uuid,
    track: (event, properties) => client.track(event, properties),
    sharer: () => client.anonymousId,
    flushNow: () => {
      // The core's request starts before this returns; what a request in flight holds back
      // goes through the second slot at once, remembered until it is answered. A hide before
      // WeChat has said whether there is a network tries anyway: a failure is retried later.
      if (network.online === undefined) network.online = true;
      void client.flush();
      const left = client.drain(
        (body) => sent.send(body, requests.sendNow(url, body, resolved.timeout)),
        resolved.maxBatchBytes,
      );
      // What is still unsent, written before WeChat may freeze or kill the app.
      if (client.consent === 'granted') storage.saveQueueNow(left);
    },
  });
  const client = createClient(
    {
      transport: { send: (request) => requests.send(url, request.body, request.timeoutMs) },
      storage,
      now: () => Date.now(),
      uuid,
      random: () => Math.random(),
      schedule: (fn, ms) => {
        const timer = setTimeout(fn, ms);
        return () => clearTimeout(timer);
      },
      context: memo(
        () => [network.type, capture.context()],
        () => ({ ...device, network: networkOf(network.type), ...capture.context() }),
      ),
    },
    {
      maxQueueSize: 500,
      ...given,
      library: { name: '@spoor/miniprogram', version: VERSION },
      plugins,
      persistQueue: true,
      storagePrefix: prefix,
    },
  );
  sent.bind(client);
  watchNetwork((online, type) => {
    const back = online && network.online === false;
    network.online = online;
    network.type = type;
    requests.wake();
    if (back) void client.flush();
  });

  active = capture.hooks;
  if (given.patch !== false && !patched) {
    patched = true;
    patchGlobals(patchedWith);
  }
  const own = () => capture.hooks;
  return Object.assign(Object.create(client) as SpoorClient, {
    wrapApp: observe(wrapApp, own),
    wrapPage: observe(wrapPage, own),
    wrapComponent: observe(wrapComponent, own),
    reset() {
      client.reset();
      capture.newSession();
    },
    optOut() {
      client.optOut();
      sent.clear();
    },
  });
}

/** Network state from WeChat, now and on every change. */
function watchNetwork(changed: (online: boolean, type: string) => void): void {
  try {
    wx.getNetworkType({
      success: (r) => changed(r.networkType !== 'none', r.networkType),
      fail: () => changed(true, 'unknown'),
    });
    wx.onNetworkStatusChange((r) => changed(r.isConnected, r.networkType));
  } catch {
    // Not answered: assume online; failures are retried anyway.
    changed(true, 'unknown');
  }
}
