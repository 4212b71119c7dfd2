import { posix } from 'node:path';
import { callbackApi, WxFail, type ApiEnv } from './realm.js';

/** The route APIs the fake implements (no `switchTab`: the harness models no tabBar). */
export type NavigationApiName = 'navigateTo' | 'redirectTo' | 'navigateBack' | 'reLaunch';

/** What the route APIs do to the page stack; the runtime supplies it. */
export interface Navigator {
  /** app.json `pages`. */
  readonly pages: readonly string[];
  readonly depth: number;
  /** The top page's route, which relative URLs start from. */
  readonly current: string | undefined;
  open(route: string, query: Record<string, string>): void;
  redirect(route: string, query: Record<string, string>): void;
  back(delta: number): void;
  relaunch(route: string, query: Record<string, string>): void;
}

/** WeChat keeps at most 10 pages on the stack. */
export const MAX_PAGES = 10;

/**
 * A page URL as the route APIs take it: `/pages/a/a?id=1`, or relative to the current page
 * (`../b/b?id=1`). Query values are handed to onLoad as written: WeChat does not decode them.
 */
export function parsePageUrl(url: string, current: string | undefined) {
  const at = url.indexOf('?');
  const path = at < 0 ? url : url.slice(0, at);
  const base = path.startsWith('/') ? '' : posix.dirname(current ?? '');
  const route = posix.join(base === '.' ? '' : base, path).replace(/^\/+/, '');
  const query: Record<string, string> = {};
  for (const part of at < 0 ? [] : url.slice(at + 1).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    query[eq < 0 ? part : part.slice(0, eq)] = eq < 0 ? '' : part.slice(eq + 1);
  }
  return { route, query };
}

const eventChannel = (): WechatMiniprogram.EventChannel => ({
  emit: () => undefined,
  on: () => undefined,
  once: () => undefined,
  off: () => undefined,
});

/**
 * The route APIs: the navigation happens on a later macrotask (the caller's code runs on
 * first), then `success`/`fail`. Outside a runtime (`navigator()` undefined) they fail.
 */
export function createNavigationApi(
  env: ApiEnv,
  navigator: () => Navigator | undefined,
): Pick<WechatMiniprogram.Wx, NavigationApiName> {
  const target = (url: unknown) => {
    const nav = navigator();
    if (!nav) throw new WxFail('not supported outside a mini-program runtime');
    const { route, query } = parsePageUrl(String(url), nav.current);
    if (!nav.pages.includes(route)) throw new WxFail(`page "${route}" is not found`);
    return { nav, route, query };
  };
  return {
    navigateTo: callbackApi(
      env,
      'navigateTo',
      ({ url }) => {
        const { nav, route, query } = target(url);
        if (nav.depth >= MAX_PAGES) throw new WxFail('webview count limit exceed');
        nav.open(route, query);
        return { eventChannel: eventChannel() };
      },
      true,
    ),
    redirectTo: callbackApi(
      env,
      'redirectTo',
      ({ url }) => {
        const { nav, route, query } = target(url);
        nav.redirect(route, query);
        return {};
      },
      true,
    ),
    navigateBack: callbackApi(
      env,
      'navigateBack',
      ({ delta }) => {
        const nav = navigator();
        if (!nav) throw new WxFail('not supported outside a mini-program runtime');
        if (nav.depth <= 1) throw new WxFail('cannot navigate back at first page.');
        nav.back(Math.max(1, Number(delta) || 1));
        return {};
      },
      true,
    ),
    reLaunch: callbackApi(
      env,
      'reLaunch',
      ({ url }) => {
        const { nav, route, query } = target(url);
        nav.relaunch(route, query);
        return {};
      },
      true,
    ),
  };
}
