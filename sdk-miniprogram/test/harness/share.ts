import { clearTimeout as hostClearTimeout, setTimeout as hostSetTimeout } from 'node:timers';
import { adopt } from './realm.js';
import { alive, callHook, type RuntimeState } from './state.js';

/** How the user shares. */
export interface ShareOptions {
  /** 'menu' (the ··· menu, default) or 'button' (`<button open-type="share">`). */
  from?: 'menu' | 'button';
  /** The button's event target, for `from: 'button'`. */
  target?: unknown;
  webViewUrl?: string;
  /** How long WeChat waits for a returned `promise` (3000 ms). */
  waitMs?: number;
}

/** Share content after WeChat's defaults are applied. */
export interface ShareContent {
  title: string;
  path: string;
  imageUrl: string | undefined;
}

/** What sharing a page did. */
export type ShareOutcome =
  | { available: false; reason: string }
  | {
      available: true;
      /** What onShareAppMessage returned, as is. */
      returned: unknown;
      /** How its `promise` field (or a returned Promise) settled, if there was one. */
      promise: 'none' | 'resolved' | 'rejected' | 'timeout';
      /** What the promise resolved to. */
      resolved: unknown;
      /** What WeChat shares: the resolved content (in time) or the returned one, plus defaults. */
      content: ShareContent;
    };

/** What sharing to Moments did. */
export type ShareTimelineOutcome =
  | { available: false; reason: string }
  | {
      available: true;
      returned: unknown;
      content: { title: string; query: string; imageUrl: string | undefined };
    };

interface Content {
  title?: unknown;
  path?: unknown;
  imageUrl?: unknown;
  query?: unknown;
  promise?: unknown;
}

const asContent = (value: unknown): Content =>
  typeof value === 'object' && value !== null ? value : {};

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * The user shares the top page: calls its `onShareAppMessage({ from, target, webViewUrl })` with
 * `this` = the page, and waits (up to `waitMs`) for a `promise` in what it returns. Without the
 * handler WeChat offers no share item in the menu, which is reported as unavailable.
 */
export async function share(
  state: RuntimeState,
  options: ShareOptions = {},
): Promise<ShareOutcome> {
  alive(state);
  const page = state.stack[state.stack.length - 1];
  if (!page) return { available: false, reason: 'no page is open' };
  if (typeof page['onShareAppMessage'] !== 'function') {
    return {
      available: false,
      reason: `${page.route} defines no onShareAppMessage, so WeChat shows no share menu item`,
    };
  }
  const from = options.from ?? 'menu';
  const arg = adopt(state.realm, { from, webViewUrl: options.webViewUrl ?? '' });
  const returned = callHook(state, page, page.route, 'onShareAppMessage', [
    { ...arg, target: from === 'button' ? options.target : undefined },
  ]);
  const pending = isThenable(returned) ? returned : asContent(returned).promise;
  let promise: 'none' | 'resolved' | 'rejected' | 'timeout' = 'none';
  let resolved: unknown;
  if (isThenable(pending)) {
    let timer: NodeJS.Timeout | undefined;
    const settled = await Promise.race([
      Promise.resolve(pending).then(
        (value) => ({ state: 'resolved' as const, value }),
        () => ({ state: 'rejected' as const, value: undefined }),
      ),
      new Promise<{ state: 'timeout'; value: undefined }>((resolve) => {
        timer = hostSetTimeout(
          () => resolve({ state: 'timeout', value: undefined }),
          options.waitMs ?? 3000,
        );
      }),
    ]);
    hostClearTimeout(timer);
    promise = settled.state;
    resolved = settled.value;
  }
  const used = promise === 'resolved' ? asContent(resolved) : asContent(returned);
  return {
    available: true,
    returned,
    promise,
    resolved,
    content: {
      title: text(used.title) ?? state.appName,
      path: text(used.path) ?? `/${page.route}`,
      imageUrl: text(used.imageUrl),
    },
  };
}

/**
 * The user shares the top page to Moments: WeChat offers it only when the page defines both
 * onShareTimeline and onShareAppMessage.
 */
export function shareTimeline(state: RuntimeState): ShareTimelineOutcome {
  alive(state);
  const page = state.stack[state.stack.length - 1];
  if (!page) return { available: false, reason: 'no page is open' };
  const missing = ['onShareTimeline', 'onShareAppMessage'].filter(
    (name) => typeof page[name] !== 'function',
  );
  if (missing.length > 0) {
    return { available: false, reason: `${page.route} defines no ${missing.join(' / ')}` };
  }
  const returned = callHook(state, page, page.route, 'onShareTimeline');
  const used = asContent(returned);
  return {
    available: true,
    returned,
    content: {
      title: text(used.title) ?? state.appName,
      query: text(used.query) ?? '',
      imageUrl: text(used.imageUrl),
    },
  };
}
