type Info = Record<string, unknown>;

/** Calls a wx getter that may be missing (older base libraries) or throw; `{}` then. */
function read(get: (() => unknown) | undefined): Info {
  try {
    const value = get && get();
    return typeof value === 'object' && value !== null ? (value as Info) : {};
  } catch {
    return {};
  }
}

/**
 * What the phone and WeChat tell about themselves, read once: device, OS, screen, WeChat and
 * base-library versions, locale, and the mini-program's own app ID and version. Base library
 * 2.20.1 split getSystemInfoSync into getDeviceInfo / getWindowInfo / getAppBaseInfo; older
 * ones only have the former.
 */
export function deviceContext(): Info {
  const split = typeof wx.getDeviceInfo === 'function';
  const legacy = split ? {} : read(() => wx.getSystemInfoSync());
  const info: Info = {
    ...legacy,
    ...(split ? read(() => wx.getDeviceInfo()) : {}),
    ...(split ? read(() => wx.getWindowInfo()) : {}),
    ...(split ? read(() => wx.getAppBaseInfo()) : {}),
  };
  const account = (read(() => wx.getAccountInfoSync()).miniProgram || {}) as Info;
  const system = info['system'];
  const [osName, osVersion] = typeof system === 'string' ? system.split(' ') : [];
  const context: Info = {
    app: {
      namespace: account['appId'],
      version: account['version'] || undefined,
      build: account['envVersion'],
    },
    device: { manufacturer: info['brand'], model: info['model'], type: 'wechat-miniprogram' },
    os: { name: osName || info['platform'], version: osVersion },
    screen: {
      width: info['screenWidth'],
      height: info['screenHeight'],
      density: info['pixelRatio'],
    },
    wechat: { version: info['version'], baseLibrary: info['SDKVersion'] },
  };
  if (typeof info['language'] === 'string') context['locale'] = info['language'].replace('_', '-');
  return context;
}

/** `context.network`, kept current by `wx.onNetworkStatusChange`. */
export function networkOf(type: string): Info {
  return {
    type,
    wifi: type === 'wifi',
    cellular: /^[2-5]g$/.test(type),
  };
}
