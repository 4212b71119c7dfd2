import { createListeners, hostRealm, messageOf, type ApiEnv, type Realm } from './realm.js';
import { createScheduler, type Scheduler } from './scheduler.js';
import { createNavigationApi, type NavigationApiName, type Navigator } from './wx-navigation.js';
import {
  createRequestApi,
  type NetworkControls,
  type NetworkState,
  type RequestApiName,
} from './wx-request.js';
import {
  createStorageApi,
  storageChars,
  WECHAT_STORAGE_LIMITS,
  type StorageApiName,
  type StorageLimits,
} from './wx-storage.js';
import {
  createSystemApi,
  DEFAULT_ACCOUNT,
  DEFAULT_DEVICE,
  launchOptions,
  type DeviceOptions,
  type Entry,
  type LaunchOptions,
  type SystemApiName,
} from './wx-system.js';
import { createUiApi, type UiApiName, type UiRecord } from './wx-ui.js';

/**
 * Every wx API the fake implements. `FakeWx` picks them from `WechatMiniprogram.Wx`, so a name
 * or a signature that drifts from miniprogram-api-typings fails type-checking.
 */
export type FakeWxApiName =
  | StorageApiName
  | RequestApiName
  | SystemApiName
  | NavigationApiName
  | UiApiName
  | 'onAppShow'
  | 'offAppShow'
  | 'onAppHide'
  | 'offAppHide'
  | 'onError'
  | 'offError'
  | 'canIUse'
  | 'nextTick';

/** The fake `wx` object: a checked subset of `WechatMiniprogram.Wx`. */
export type FakeWx = Pick<WechatMiniprogram.Wx, FakeWxApiName>;

/** Options for {@link createWx}; all optional. */
export interface WxFakeOptions {
  /** Key → JSON text of the value. Pass the Map of a killed app to relaunch with its storage. */
  storage?: Map<string, string>;
  /** Defaults to WeChat's 1 MB per key and 10 MB in all; smaller limits make tests faster. */
  storageLimits?: StorageLimits;
  /** The runtime passes its own; standalone, a new one reports callback errors to `onError`. */
  scheduler?: Scheduler;
  /** The realm that values handed to the app are made in; defaults to Node's. */
  realm?: Realm;
  onError?: (error: unknown) => void;
  /** Overrides of the device (getSystemInfoSync and friends) and of the account. */
  device?: DeviceOptions;
  /** What getLaunchOptionsSync returns before `launch()` (path defaults to `entryPath`). */
  launch?: Partial<LaunchOptions>;
  entryPath?: string;
  /** Initial connectivity: online over wifi unless said otherwise. */
  network?: Partial<NetworkState>;
  /** WeChat's limit on concurrent requests (10); the rest are queued. */
  maxConcurrentRequests?: number;
  /** The page stack the route APIs move (the runtime's); without it they fail. */
  navigator?: () => Navigator | undefined;
}

/** The fake `wx` and the controls a test steers it with. */
export interface WxFake extends NetworkControls {
  wx: FakeWx;
  storage: Map<string, string>;
  scheduler: Scheduler;
  /** Current launch and enter options (what getLaunchOptionsSync/getEnterOptionsSync return). */
  entry: Entry;
  /** Toasts and loading indicators shown, oldest first. */
  ui: UiRecord[];
  /** The stored value of `key` (parsed in this realm), or undefined when there is none. */
  readStorage(key: string): unknown;
  /** Characters in storage, as counted against the limits (key + JSON text of the value). */
  storageChars(): number;
  /** Calls the `wx.onAppShow` listeners now. */
  emitAppShow(options: LaunchOptions): void;
  /** Calls the `wx.onAppHide` listeners now. */
  emitAppHide(options?: WechatMiniprogram.HideOptionsApp): void;
  /** Calls the `wx.onError` listeners now. */
  emitError(error: unknown): void;
  /** How many listeners are registered for an event. */
  listenerCount(event: 'appShow' | 'appHide' | 'error' | 'networkStatusChange'): number;
  /** Ends in-flight requests without callbacks and stops the scheduler: the app was killed. */
  kill(): void;
}

/** The text WeChat hands `App.onError` / `wx.onError` for a thrown value: message and stack. */
export function errorText(error: unknown): string {
  const stack = (error as { stack?: unknown } | null)?.stack;
  return typeof stack === 'string' ? stack : messageOf(error);
}

/** Creates a fake `wx` backed by real storage semantics and real HTTP. */
export function createWx(options: WxFakeOptions = {}): WxFake {
  const onError = options.onError ?? ((e: unknown) => console.error('[wx fake]', e));
  const scheduler = options.scheduler ?? createScheduler(onError);
  const env: ApiEnv = { scheduler, realm: options.realm ?? hostRealm };
  const storage = options.storage ?? new Map<string, string>();
  const account = { ...DEFAULT_ACCOUNT, ...options.device?.account };
  const system = { ...DEFAULT_DEVICE, ...options.device?.system };
  const launch = launchOptions(options.launch ?? {}, options.entryPath ?? '');
  const entry: Entry = { launch, enter: launch };
  const show = createListeners<LaunchOptions>(env);
  const hide = createListeners<WechatMiniprogram.HideOptionsApp>(env);
  const errors = createListeners<WechatMiniprogram.ListenerError>(env);
  const isOnline = options.network?.isConnected ?? true;
  const { api: network, controls } = createRequestApi(env, {
    maxConcurrent: options.maxConcurrentRequests ?? 10,
    network: { isConnected: isOnline, networkType: isOnline ? 'wifi' : 'none', ...options.network },
    fixedHeaders: {
      // WeChat sets both and ignores the app's values; servers see the app id in the Referer.
      referer: `https://servicewechat.com/${account.appId}/${account.envVersion === 'release' ? 1 : 0}/page-frame.html`,
      'user-agent':
        `Mozilla/5.0 (iPhone; CPU iPhone OS ${system.system.replace(/\D+/, '').replace('.', '_')} ` +
        'like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 ' +
        `MicroMessenger/${system.version}(0x18003237) NetType/WIFI Language/${system.language} ` +
        `miniProgram/${account.appId}`,
    },
  });

  const ui: UiRecord[] = [];
  const wx: FakeWx = {
    ...createStorageApi(env, storage, options.storageLimits ?? WECHAT_STORAGE_LIMITS),
    ...network,
    ...createSystemApi(env, options.device ?? {}, entry),
    ...createNavigationApi(env, options.navigator ?? (() => undefined)),
    ...createUiApi(env, ui),
    onAppShow: (listener) => show.on(listener),
    offAppShow: (listener) => show.off(listener as never),
    onAppHide: (listener) => hide.on(listener),
    offAppHide: (listener) => hide.off(listener as never),
    onError: (listener) => errors.on(listener),
    offError: (listener) => errors.off(listener as never),
    // Only the API name is checked: `wx.canIUse('request.object.timeout')` → is there wx.request.
    canIUse: (schema) => Object.hasOwn(wx, String(schema).split('.')[0] ?? ''),
    nextTick: (callback) => scheduler.later(callback),
  };

  return Object.assign(controls, {
    wx,
    storage,
    scheduler,
    entry,
    ui,
    readStorage(key: string): unknown {
      const text = storage.get(key);
      return text === undefined || text === 'undefined' ? undefined : JSON.parse(text);
    },
    storageChars: () => storageChars(storage),
    emitAppShow: (opts: LaunchOptions) => show.emit(opts),
    emitAppHide: (opts: WechatMiniprogram.HideOptionsApp = {}) => hide.emit(opts),
    emitError: (error: unknown) => errors.emit({ message: errorText(error) }),
    listenerCount(event: 'appShow' | 'appHide' | 'error' | 'networkStatusChange') {
      if (event === 'networkStatusChange') return controls.networkListeners;
      return { appShow: show, appHide: hide, error: errors }[event].size;
    },
    kill() {
      controls.abortAll();
      scheduler.kill();
    },
  });
}
