import { componentLifetime, createPageInstance, type PageInstance } from './pages.js';
import { adopt } from './realm.js';
import { callHook, normalizeRoute, step, type RuntimeState } from './state.js';
import { MAX_PAGES, type Navigator } from './wx-navigation.js';
import { launchOptions, type LaunchOptions } from './wx-system.js';

/** A page query as a test writes it; WeChat hands pages strings. */
export type Query = Record<string, string | number | boolean>;

/** How the app goes to the background. */
export interface HideOptions {
  /** wx.onAppHide's reason (0: home/back, 1: closed from the menu, …). */
  reason?: 0 | 1 | 2 | 3;
  /** Freeze timers and native callbacks afterwards, as iOS does to a backgrounded app. */
  freeze?: boolean;
}

/** The element a tap lands on. */
export interface TapTarget {
  id?: string;
  dataset?: Record<string, unknown>;
}

/** An event a handler bound in WXML receives (`bindtap`, `bindgetphonenumber`, …). */
export interface HandlerEvent {
  /** 'tap', 'getphonenumber', 'input', … */
  type: string;
  detail?: Record<string, unknown>;
  target?: TapTarget;
}

/** The drivers that move the mini-program through WeChat's lifecycle, in WeChat's order. */
export function createLifecycle(state: RuntimeState) {
  const { realm, fake } = state;
  const toQuery = (query: Query = {}) =>
    Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)]));
  const top = (): PageInstance | undefined => state.stack[state.stack.length - 1];
  const appHook = (name: string, args: unknown[] = []) =>
    state.app && callHook(state, state.app, 'app', name, args);
  const pageHook = (page: PageInstance, name: string, args: unknown[] = []) =>
    callHook(state, page, page.route, name, args);
  const lifetime = (page: PageInstance, name: string) => {
    const definition = state.definitions.get(page.route);
    if (definition?.kind !== 'component') return;
    callHook(state, page, page.route, name, [], componentLifetime(definition, name));
  };

  /** Creates and shows a page: (created → attached →) onLoad → onShow → (ready →) onReady. */
  const load = (rawRoute: string, query: Record<string, string>): PageInstance => {
    const route = normalizeRoute(rawRoute);
    const definition = state.definitions.get(route);
    if (!definition) throw new Error(`no page defined for ${route}: call definePage() first`);
    const page = createPageInstance(definition, query, realm, state.scheduler);
    state.created.set(page, Date.now());
    lifetime(page, 'created');
    lifetime(page, 'attached');
    // The new page is already on the stack in its onLoad, as getCurrentPages() shows in WeChat.
    state.stack.push(page);
    pageHook(page, 'onLoad', [adopt(realm, query)]);
    pageHook(page, 'onShow');
    lifetime(page, 'ready');
    pageHook(page, 'onReady');
    return page;
  };

  const unload = (page: PageInstance) => {
    pageHook(page, 'onUnload');
    lifetime(page, 'detached');
    state.stack.splice(state.stack.indexOf(page), 1);
  };

  const launched = () => {
    if (!state.launched) throw new Error('launch() the mini-program first');
  };

  // The stack operations, shared by the drivers and by wx's route APIs (wx-navigation.ts).
  const open = (route: string, query: Record<string, string>): PageInstance => {
    const current = top();
    if (current) pageHook(current, 'onHide');
    return load(route, query);
  };
  const redirect = (route: string, query: Record<string, string>): PageInstance => {
    const current = top();
    if (current) unload(current);
    return load(route, query);
  };
  const back = (delta: number): PageInstance => {
    const count = Math.min(delta, state.stack.length - 1);
    for (let i = 0; i < count; i++) unload(top() as PageInstance);
    const page = top() as PageInstance;
    pageHook(page, 'onShow');
    return page;
  };
  const navigator: Navigator = {
    get pages() {
      return state.pages;
    },
    get depth() {
      return state.stack.length;
    },
    get current() {
      return top()?.route;
    },
    open,
    redirect,
    back,
    relaunch(route, query) {
      while (state.stack.length > 0) unload(top() as PageInstance);
      load(route, query);
    },
  };

  /** Calls the top page's `method` as WeChat calls a handler bound in WXML. */
  const trigger = (method: string, event: HandlerEvent): unknown =>
    step(state, `${event.type} ${method}`, () => {
      launched();
      const page = top();
      if (!page) throw new Error('no page is open');
      if (typeof page[method] !== 'function') {
        throw new Error(`page ${page.route} has no method ${method}`);
      }
      if (state.bindings(page.route)?.has(`${event.type} ${method}`) === false) {
        throw new Error(`${page.route}.wxml binds no ${event.type} event to ${method}`);
      }
      const element = {
        id: event.target?.id ?? '',
        offsetLeft: 0,
        offsetTop: 0,
        dataset: event.target?.dataset ?? {},
      };
      const payload = {
        type: event.type,
        timeStamp: Date.now() - (state.created.get(page) ?? Date.now()),
        target: element,
        currentTarget: element,
        detail: event.detail ?? {},
        touches: [],
        changedTouches: [],
        mark: {},
      };
      return pageHook(page, method, [adopt(realm, payload)]);
    });

  return {
    navigator,
    trigger,
    /**
     * Cold start: App.onLaunch → App.onShow → wx.onAppShow listeners, then the entry page (if
     * one is defined for `path`): onLoad → onShow → onReady.
     */
    launch(given: Partial<LaunchOptions> = {}): LaunchOptions {
      return step(state, 'launch', () => {
        if (!state.app) throw new Error('App() was not called: run the app code before launch()');
        if (state.launched) throw new Error('already launched');
        state.launched = true;
        const options = launchOptions({ ...fake.entry.launch, ...given }, state.entryPath);
        fake.entry.launch = options;
        fake.entry.enter = options;
        appHook('onLaunch', [adopt(realm, options)]);
        appHook('onShow', [adopt(realm, options)]);
        fake.emitAppShow(options);
        if (state.definitions.has(options.path)) load(options.path, options.query);
        return options;
      });
    },
    /** wx.navigateTo: the top page's onHide, then a new page's onLoad → onShow → onReady. */
    open(route: string, query?: Query): PageInstance {
      return step(state, `open ${route}`, () => {
        launched();
        if (state.stack.length >= MAX_PAGES) {
          throw new Error('navigateTo:fail webview count limit exceed');
        }
        return open(route, toQuery(query));
      });
    },
    /** wx.redirectTo: the top page's onUnload, then the new page replaces it. */
    redirect(route: string, query?: Query): PageInstance {
      return step(state, `redirect ${route}`, () => {
        launched();
        return redirect(route, toQuery(query));
      });
    },
    /** wx.navigateBack: the top `delta` pages' onUnload, then the page below's onShow. */
    back(delta = 1): PageInstance {
      return step(state, 'back', () => {
        launched();
        if (delta < 1 || state.stack.length < 2) {
          throw new Error('navigateBack:fail cannot navigate back at first page.');
        }
        return back(delta);
      });
    },
    /** To the background: the top page's onHide → App.onHide → wx.onAppHide listeners. */
    hide(options: HideOptions = {}): void {
      step(state, 'hide', () => {
        launched();
        const page = top();
        if (page) pageHook(page, 'onHide');
        appHook('onHide');
        fake.emitAppHide(options.reason === undefined ? {} : { reason: options.reason });
        if (options.freeze) state.scheduler.freeze();
      });
    },
    /**
     * Back to the foreground (thawing a frozen app): App.onShow → wx.onAppShow listeners → the
     * top page's onShow. `given` may carry a new scene, query or referrer.
     */
    show(given: Partial<LaunchOptions> = {}): LaunchOptions {
      return step(state, 'show', () => {
        launched();
        state.scheduler.thaw();
        const page = top();
        const current = { path: page?.route ?? fake.entry.enter.path, query: page?.options ?? {} };
        const options = launchOptions({ scene: 1001, ...current, ...given }, state.entryPath);
        fake.entry.enter = options;
        appHook('onShow', [adopt(realm, options)]);
        fake.emitAppShow(options);
        if (page) pageHook(page, 'onShow');
        return options;
      });
    },
    /** Calls the top page's `method` with a tap event on `target`, as a `bindtap` would. */
    tap(method: string, target: TapTarget = {}, detail: { x?: number; y?: number } = {}): unknown {
      return trigger(method, {
        type: 'tap',
        target,
        detail: { x: detail.x ?? 0, y: detail.y ?? 0 },
      });
    },
  };
}
