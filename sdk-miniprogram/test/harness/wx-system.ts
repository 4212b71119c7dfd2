import { randomBytes } from 'node:crypto';
import { adopt, callbackApi, type ApiEnv } from './realm.js';

/** The device, app and account APIs the fake implements. */
export type SystemApiName =
  | 'getSystemInfoSync'
  | 'getSystemInfo'
  | 'getDeviceInfo'
  | 'getWindowInfo'
  | 'getAppBaseInfo'
  | 'getAccountInfoSync'
  | 'getLaunchOptionsSync'
  | 'getEnterOptionsSync'
  | 'getRandomValues'
  | 'login';

/** The launch/show options WeChat gives `App.onLaunch`, `App.onShow` and `wx.onAppShow`. */
export type LaunchOptions = WechatMiniprogram.LaunchOptionsApp;

/** Device and account facts a test may override (see {@link DEFAULT_DEVICE}). */
export interface DeviceOptions {
  system?: Partial<WechatMiniprogram.SystemInfo>;
  account?: Partial<WechatMiniprogram.MiniProgram>;
}

/** An iPhone 15 on iOS 17.5 running WeChat 8.0.50 (base library 3.5.0). */
export const DEFAULT_DEVICE: WechatMiniprogram.SystemInfo = {
  SDKVersion: '3.5.0',
  albumAuthorized: true,
  benchmarkLevel: 1,
  bluetoothEnabled: false,
  brand: 'iPhone',
  cameraAuthorized: true,
  deviceOrientation: 'portrait',
  enableDebug: false,
  fontSizeSetting: 17,
  host: { appId: 'wx-host' },
  language: 'zh_CN',
  locationAuthorized: false,
  locationEnabled: true,
  locationReducedAccuracy: false,
  microphoneAuthorized: false,
  model: 'iPhone 15<iPhone15,4>',
  notificationAlertAuthorized: true,
  notificationAuthorized: true,
  notificationBadgeAuthorized: true,
  notificationSoundAuthorized: true,
  phoneCalendarAuthorized: false,
  pixelRatio: 3,
  platform: 'ios',
  safeArea: { bottom: 818, height: 759, left: 0, right: 393, top: 59, width: 393 },
  screenHeight: 852,
  screenWidth: 393,
  statusBarHeight: 59,
  system: 'iOS 17.5',
  version: '8.0.50',
  wifiEnabled: true,
  windowHeight: 852,
  windowWidth: 393,
  theme: 'light',
};

/** The account of the mini-program under test. */
export const DEFAULT_ACCOUNT: WechatMiniprogram.MiniProgram = {
  appId: 'wx0123456789abcdef',
  envVersion: 'release',
  version: '1.0.0',
};

/** Fills in what WeChat puts in launch options that the test did not give. */
export function launchOptions(given: Partial<LaunchOptions>, entryPath: string): LaunchOptions {
  const query = Object.fromEntries(
    Object.entries(given.query ?? {}).map(([k, v]) => [k, String(v)]),
  );
  return {
    scene: 1001,
    apiCategory: 'default',
    forwardMaterials: [],
    // WeChat sends an empty referrerInfo when nobody referred the user, though the typing says
    // appId is required; and no hostExtraData outside of embedded mode.
    referrerInfo: {} as WechatMiniprogram.ReferrerInfo,
    ...given,
    path: (given.path ?? entryPath).replace(/^\//, ''),
    query,
  } as LaunchOptions;
}

/** Current launch and enter options, which the runtime updates on launch and show. */
export interface Entry {
  launch: LaunchOptions;
  enter: LaunchOptions;
}

/** Device, app, account and misc APIs. */
export function createSystemApi(
  env: ApiEnv,
  device: DeviceOptions,
  entry: Entry,
): Pick<WechatMiniprogram.Wx, SystemApiName> {
  const system = { ...DEFAULT_DEVICE, ...device.system };
  const account = { ...DEFAULT_ACCOUNT, ...device.account };
  const copy = <T>(value: T) => adopt(env.realm, value);
  const deviceInfo = (): WechatMiniprogram.DeviceInfo => ({
    abi: system.platform === 'ios' ? 'arm64' : 'arm64-v8a',
    deviceAbi: system.platform === 'ios' ? 'arm64' : 'arm64-v8a',
    benchmarkLevel: system.benchmarkLevel,
    brand: system.brand,
    cpuType: 'unknown',
    memorySize: '6144',
    model: system.model,
    platform: system.platform,
    system: system.system,
  });
  const windowInfo = (): WechatMiniprogram.WindowInfo => ({
    pixelRatio: system.pixelRatio,
    safeArea: system.safeArea,
    screenHeight: system.screenHeight,
    screenTop: 0,
    screenWidth: system.screenWidth,
    statusBarHeight: system.statusBarHeight,
    windowHeight: system.windowHeight,
    windowWidth: system.windowWidth,
  });
  const appBaseInfo = (): WechatMiniprogram.AppBaseInfo => ({
    PCKernelVersion: '',
    SDKVersion: system.SDKVersion,
    enableDebug: system.enableDebug,
    fontSizeScaleFactor: 1,
    fontSizeSetting: system.fontSizeSetting,
    host: system.host,
    language: system.language,
    version: system.version,
    ...(system.theme ? { theme: system.theme } : {}),
  });
  let logins = 0;
  return {
    getSystemInfoSync: () => copy(system),
    getSystemInfo: callbackApi(env, 'getSystemInfo', () => copy(system)),
    getDeviceInfo: () => copy(deviceInfo()),
    getWindowInfo: () => copy(windowInfo()),
    getAppBaseInfo: () => copy(appBaseInfo()),
    getAccountInfoSync: () =>
      copy({ miniProgram: account, plugin: {} as WechatMiniprogram.Plugin }),
    getLaunchOptionsSync: () => copy(entry.launch),
    getEnterOptionsSync: () => copy(entry.enter),
    getRandomValues: callbackApi(env, 'getRandomValues', ({ length }) => {
      const bytes = new env.realm.Uint8Array(length);
      bytes.set(randomBytes(length));
      return { randomValues: bytes.buffer };
    }),
    login: callbackApi(env, 'login', () => ({ code: `fake-login-code-${++logins}` })),
  };
}
