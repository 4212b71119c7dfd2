import { callbackApi, WxFail, type ApiEnv } from './realm.js';

/** The storage APIs the fake implements. */
export type StorageApiName =
  | 'getStorageSync'
  | 'setStorageSync'
  | 'removeStorageSync'
  | 'clearStorageSync'
  | 'getStorageInfoSync'
  | 'getStorage'
  | 'setStorage'
  | 'removeStorage'
  | 'clearStorage'
  | 'getStorageInfo';

/** Size limits, counted in characters of `key` + the value's JSON text. */
export interface StorageLimits {
  itemChars: number;
  totalChars: number;
}

/** WeChat's limits: 1 MB per key, 10 MB per mini-program and user. */
export const WECHAT_STORAGE_LIMITS: StorageLimits = {
  itemChars: 1024 * 1024,
  totalChars: 10 * 1024 * 1024,
};

/** How `undefined` is kept: it has no JSON text, yet WeChat stores it. */
const UNDEFINED = 'undefined';

/** Characters `storage` holds (keys + JSON texts). */
export function storageChars(storage: Map<string, string>): number {
  let total = 0;
  for (const [key, text] of storage) total += key.length + text.length;
  return total;
}

/**
 * The storage APIs over `storage`, a Map from key to the JSON text of the value: what comes back
 * is always a new copy, made in the mini-program's realm.
 */
export function createStorageApi(
  env: ApiEnv,
  storage: Map<string, string>,
  limits: StorageLimits,
): Pick<WechatMiniprogram.Wx, StorageApiName> {
  const { realm } = env;

  const checkKey = (key: unknown): string => {
    if (typeof key !== 'string' || key === '') {
      throw new WxFail(`parameter error: parameter.key should be String instead of ${typeof key};`);
    }
    return key;
  };

  /** Stores `value`, or throws WxFail with the reason WeChat gives. */
  const put = (rawKey: unknown, value: unknown) => {
    const key = checkKey(rawKey);
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (error) {
      throw new WxFail(`data ${(error as Error).message}`);
    }
    text ??= UNDEFINED;
    const size = key.length + text.length;
    if (size > limits.itemChars) throw new WxFail('exceed storage item max length');
    const old = storage.get(key);
    const others = storageChars(storage) - (old === undefined ? 0 : key.length + old.length);
    if (others + size > limits.totalChars) throw new WxFail('exceed storage max size 10MB');
    storage.set(key, text);
  };

  const read = (text: string): unknown =>
    text === UNDEFINED ? undefined : (realm.JSON.parse(text) as unknown);

  const info = () => ({
    keys: realm.Array.from(storage.keys()),
    currentSize: Math.ceil(storageChars(storage) / 1024),
    limitSize: Math.floor(limits.totalChars / 1024),
  });

  /** Sync APIs throw an Error whose message is the errMsg the async form would fail with. */
  const sync = <R>(name: string, fn: () => R): R => {
    try {
      return fn();
    } catch (error) {
      if (!(error instanceof WxFail)) throw error;
      throw new realm.Error(`${name}:fail ${error.detail}`);
    }
  };

  return {
    getStorageSync: <T>(key: string): T =>
      sync('getStorageSync', () => {
        const text = storage.get(checkKey(key));
        // A missing key reads as '' rather than undefined: SDKs test `=== ''`.
        return (text === undefined ? '' : read(text)) as T;
      }),
    setStorageSync: (key: string, data: unknown) => sync('setStorageSync', () => put(key, data)),
    removeStorageSync: (key: string) =>
      sync('removeStorageSync', () => void storage.delete(checkKey(key))),
    clearStorageSync: () => storage.clear(),
    getStorageInfoSync: info,
    getStorage: callbackApi(env, 'getStorage', ({ key }) => {
      const text = storage.get(checkKey(key));
      if (text === undefined) throw new WxFail('data not found');
      return { data: read(text) };
    }),
    setStorage: callbackApi(env, 'setStorage', ({ key, data }) => {
      put(key, data);
      return {};
    }),
    removeStorage: callbackApi(env, 'removeStorage', ({ key }) => {
      storage.delete(checkKey(key));
      return {};
    }),
    clearStorage: callbackApi(env, 'clearStorage', () => {
      storage.clear();
      return {};
    }),
    getStorageInfo: callbackApi(env, 'getStorageInfo', info),
  };
}
