/** A page or component instance as WeChat makes it (only what Spoor reads). */
export interface PageInstance {
  route?: string;
  options?: Record<string, unknown>;
}

type Launch = WechatMiniprogram.App.LaunchShowOption;
type Options = Record<string, unknown>;

/** What the SDK does at each point of the lifecycle. None of these may throw. */
export interface LifecycleHooks {
  appLaunch(options: Launch): void;
  appShow(options: Launch): void;
  /** After the app's own onHide: what it tracked there leaves with the rest. */
  appHide(): void;
  pageLoad(page: PageInstance, query: unknown): void;
  /** Before the page's own onShow: what it tracks there belongs to this page. */
  pageShow(page: PageInstance): void;
  pageHide(page: PageInstance): void;
  /** Given what the page's share handler returned; returns what WeChat gets instead. */
  share(page: PageInstance, kind: 'message' | 'timeline', event: unknown, result: unknown): unknown;
  tap(page: PageInstance, handler: string, event: unknown): void;
  /** Handler names recorded as taps. */
  taps: string[];
}

/** Runs Spoor's own code; whatever it does wrong stays inside. */
function quietly(fn: () => void): void {
  try {
    fn();
  } catch {
    // Never into the host: a broken hook costs an event, not the app.
  }
}

type Hook = (self: PageInstance, args: unknown[], result: unknown) => unknown;

/**
 * Replaces `target[name]` by a function that runs `before`, then the original (with the same
 * `this`, arguments and return value, and its own exceptions), then `after`, which may replace
 * the result. A missing original still gets the hooks: the lifecycle is Spoor's to observe
 * whether or not the developer handles it.
 */
function wrap(target: Options, name: string, before?: Hook, after?: Hook): void {
  const original = target[name];
  target[name] = function (this: PageInstance, ...args: unknown[]): unknown {
    if (before) quietly(() => before(this, args, undefined));
    let result: unknown =
      typeof original === 'function'
        ? (original as (...args: unknown[]) => unknown).apply(this, args)
        : undefined;
    if (after) quietly(() => (result = after(this, args, result)));
    return result;
  };
}

/** App options with launch, show and hide observed. */
export function wrapApp(options: Options, hooks: LifecycleHooks): Options {
  wrap(options, 'onLaunch', (_, [launch]) => hooks.appLaunch(launch as Launch));
  wrap(options, 'onShow', (_, [show]) => hooks.appShow(show as Launch));
  wrap(options, 'onHide', undefined, (_, __, result) => {
    hooks.appHide();
    return result;
  });
  return options;
}

/**
 * Page lifecycle and share handlers, on `Page()` options or a `Component()`'s `methods` (how
 * Taro and uni-app register pages). A share handler is wrapped only where the page has one:
 * defining `onShareAppMessage` is what turns WeChat's share menu on.
 */
function wrapPageMethods(methods: Options, hooks: LifecycleHooks): void {
  wrap(methods, 'onLoad', (page, [query]) => hooks.pageLoad(page, query));
  wrap(methods, 'onShow', (page) => hooks.pageShow(page));
  const leave: Hook = (page, _, result) => {
    hooks.pageHide(page);
    return result;
  };
  wrap(methods, 'onHide', undefined, leave);
  wrap(methods, 'onUnload', undefined, leave);
  const shares = { onShareAppMessage: 'message', onShareTimeline: 'timeline' } as const;
  for (const [name, kind] of Object.entries(shares)) {
    if (typeof methods[name] === 'function') {
      wrap(methods, name, undefined, (page, [event], result) =>
        hooks.share(page, kind, event, result),
      );
    }
  }
  for (const name of hooks.taps) {
    if (typeof methods[name] === 'function') {
      wrap(methods, name, (page, [event]) => hooks.tap(page, name, event));
    }
  }
}

/** Page options, observed (see {@link wrapPageMethods}). */
export function wrapPage(options: Options, hooks: LifecycleHooks): Options {
  wrapPageMethods(options, hooks);
  return options;
}

/** Component options, observed when the component is a page. */
export function wrapComponent(options: Options, hooks: LifecycleHooks): Options {
  const methods = (
    typeof options['methods'] === 'object' && options['methods'] !== null ? options['methods'] : {}
  ) as Options;
  options['methods'] = methods;
  wrapPageMethods(methods, hooks);
  return options;
}

/** A constructor that wraps its options, then calls `previous` with them (and its `this`). */
function chain<F>(previous: F, wrapOptions: (options: Options) => Options): F {
  return function (this: unknown, options: Options): unknown {
    return (previous as (options: Options) => unknown).call(this, wrapOptions(options));
  } as F;
}

/**
 * Replaces the global `App`, `Page` and `Component` with functions that wrap their options
 * and call what was there before: another SDK that wrapped them first keeps working, and one
 * that wraps them after us calls us in turn.
 */
export function patchGlobals(wrapOptions: {
  app: (options: Options) => Options;
  page: (options: Options) => Options;
  component: (options: Options) => Options;
}): void {
  if (typeof App === 'function') App = chain(App, wrapOptions.app);
  if (typeof Page === 'function') Page = chain(Page, wrapOptions.page);
  if (typeof Component === 'function') Component = chain(Component, wrapOptions.component);
}
