import { campaignOf } from '@spoor/sdk-core';
import type { LifecycleHooks, PageInstance } from './lifecycle.js';
import type { Autocapture } from './options.js';
import { memo } from './platform.js';
import { attributeShare, queryString } from './share.js';

type Launch = WechatMiniprogram.App.LaunchShowOption;
type Props = Record<string, unknown>;

declare const __wxConfig:
  { global?: { window?: Props }; page?: Record<string, { window?: Props }> } | undefined;

export interface CaptureSettings {
  autocapture: Required<Autocapture>;
  shareParam: string;
  sessionTimeout: number;
  titles: Record<string, string>;
  uuid: () => string;
  track: (event: string, properties: Props) => void;
  /** The ID a shared path carries: the anonymous ID (a user ID may be personal data). */
  sharer: () => string;
  /** Called after the app's onHide: starts delivery before WeChat may freeze the app. */
  flushNow: () => void;
}

/**
 * The automatic events and the session, driven by the lifecycle hooks. The session changes
 * after `sessionTimeout` in the background or when the app comes back through another scene
 * (a new entry: a shared card, a QR code); its launch query's campaign and sharer are the
 * session's `context.campaign` and `context.referrer`.
 */
export function createCapture(settings: CaptureSettings) {
  const { autocapture: on, track } = settings;
  const loaded = new WeakMap<PageInstance, unknown>();
  const shownAt = new WeakMap<PageInstance, number>();
  let session = settings.uuid();
  let scene: unknown;
  let hiddenAt = 0;
  let foregroundSince = Date.now();
  let entry: Props = {};
  let current: PageInstance | null = null;
  let previousRoute = '';

  const routeOf = (page: PageInstance | null) =>
    page && typeof page.route === 'string' ? page.route : '';
  const queryOf = (page: PageInstance) => {
    const query = page.options || loaded.get(page);
    return typeof query === 'object' && query !== null ? (query as Props) : {};
  };
  // (Written without ?. and ??: lowered to ES2015 they cost more than the logic they guard.)
  const titleIn = (config: { window?: Props } | undefined) =>
    config && config.window && config.window['navigationBarTitleText'];
  const titleOf = (route: string) => {
    const config = (typeof __wxConfig === 'object' && __wxConfig) || {};
    return (
      settings.titles[route] ||
      titleIn((config.page || {})[`${route}.html`]) ||
      titleIn(config.global)
    );
  };
  /** Properties every launch and show carries. */
  const entryProps = (given: Launch | undefined): Props => {
    const options = given || ({} as Partial<Launch>);
    const query: Props = options.query || {};
    const props: Props = { scene: options.scene, path: options.path, query };
    const referrer = options.referrerInfo && options.referrerInfo.appId;
    if (referrer) props['referrerAppId'] = referrer;
    const sharer = query[settings.shareParam];
    if (typeof sharer === 'string' && sharer) props['sharer'] = sharer;
    if (options.shareTicket) props['shareTicket'] = true;
    return props;
  };
  /** A new entry: the session's campaign and referrer follow it. */
  const enter = (props: Props) => {
    const query = props['query'] as Props;
    const campaign = campaignOf((name) => query[name]);
    entry = {};
    if (Object.keys(campaign).length > 0) entry['campaign'] = campaign;
    if (props['sharer']) entry['referrer'] = { type: 'wechat_share', id: props['sharer'] };
    else if (props['referrerAppId'])
      entry['referrer'] = { type: 'wechat_miniprogram', id: props['referrerAppId'] };
  };

  const hooks: LifecycleHooks = {
    taps: on.taps,
    appLaunch(options) {
      const props = entryProps(options);
      enter(props);
      scene = props['scene'];
      if (on.launch) track('$MPLaunch', props);
    },
    appShow(options) {
      const props = entryProps(options);
      const now = Date.now();
      if (hiddenAt > 0) {
        if (now - hiddenAt > settings.sessionTimeout || props['scene'] !== scene) {
          session = settings.uuid();
          enter(props);
        }
        hiddenAt = 0;
      }
      scene = props['scene'];
      foregroundSince = now;
      if (on.show) track('$MPShow', props);
    },
    appHide() {
      hiddenAt = Date.now();
      if (on.show) {
        track('$MPHide', {
          durationMs: hiddenAt - foregroundSince,
          path: routeOf(current),
        });
      }
      settings.flushNow();
    },
    pageLoad(page, query) {
      loaded.set(page, query);
      // What the page tracks in onLoad (where its query is) belongs to it, not the one before.
      if (routeOf(page)) current = page;
    },
    pageShow(page) {
      const route = routeOf(page);
      if (!route) return;
      shownAt.set(page, Date.now());
      current = page;
      if (on.pageViews) {
        track('$MPViewScreen', {
          path: route,
          query: queryOf(page),
          title: titleOf(route),
          referrer: previousRoute || undefined,
        });
      }
      previousRoute = route;
    },
    pageHide(page) {
      const since = shownAt.get(page);
      if (since === undefined) return;
      shownAt.delete(page);
      const route = routeOf(page);
      if (on.pageLeave) {
        track('$MPPageLeave', {
          path: route,
          title: titleOf(route),
          durationMs: Date.now() - since,
        });
      }
    },
    share(page, kind, event, result) {
      if (!on.share) return result;
      const route = routeOf(page);
      const from = ((event || {}) as { from?: unknown }).from;
      track('$MPShare', { type: kind, from, path: route });
      const query = queryString(queryOf(page));
      const path = `/${route}${query ? `?${query}` : ''}`;
      return attributeShare(result, kind, path, settings.shareParam, settings.sharer());
    },
    tap(page, handler, event) {
      const target = (((event || {}) as { currentTarget?: unknown }).currentTarget || {}) as Props;
      track('$MPClick', {
        handler,
        id: target['id'] || undefined,
        dataset: target['dataset'],
        path: routeOf(page),
      });
    },
  };

  return {
    hooks,
    /** Context of every event: the session, its entry, and the page on screen. */
    context: memo(
      () => [entry, session, routeOf(current)],
      (): Props => {
        const route = routeOf(current);
        return { ...entry, sessionId: session, page: route ? { path: route } : undefined };
      },
    ),
    /** After `reset()`: a new person is a new session. */
    newSession() {
      session = settings.uuid();
    },
  };
}
