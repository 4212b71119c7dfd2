import type { HandlerEvent, HideOptions, Query, TapTarget } from './lifecycle.js';
import type { ModuleOptions } from './modules.js';
import type { PageDefinition, PageInstance } from './pages.js';
import type { ShareOptions, ShareOutcome, ShareTimelineOutcome } from './share.js';
import type { FakeWx, WxFake, WxFakeOptions } from './wx-fake.js';
import type { LaunchOptions } from './wx-system.js';

/** Options for `startMiniProgram`; all optional. */
export interface MiniProgramOptions
  extends
    Omit<WxFakeOptions, 'scheduler' | 'realm' | 'onError' | 'entryPath' | 'navigator'>,
    ModuleOptions {
  /** app.json `pages`; the first is the entry page. Default: ['pages/index/index']. */
  pages?: string[];
  /** app.json `window` (into `__wxConfig.global.window`). */
  window?: { navigationBarTitleText?: string; [key: string]: unknown };
  /** Each page's json `window`, by route (into `__wxConfig.page['<route>.html'].window`). */
  pageWindows?: Record<string, { navigationBarTitleText?: string; [key: string]: unknown }>;
  /** Merged over the generated `__wxConfig`. */
  wxConfig?: Record<string, unknown>;
  /** The mini-program's name: WeChat's default share title. Default 'Spoor Demo'. */
  appName?: string;
  /** Keep ES2020+ built-ins (removed by default to emulate old iOS JavaScriptCore). */
  modernBuiltins?: boolean;
  /**
   * Make a driver step (launch, open, hide…) throw when mini-program code threw during it.
   * WeChat only reports such errors (App.onError, wx.onError); they are in `errors` either way.
   * Default true.
   */
  throwOnError?: boolean;
  /** Which console levels of the mini-program to print (all are kept in `logs`). */
  echoConsole?: boolean | ('log' | 'info' | 'warn' | 'error' | 'debug')[];
}

/** A running mini-program and the controls a test drives it with. */
export interface MiniProgram {
  /** The vm context's global object (throws once killed). Read `context.Page` at call time. */
  readonly context: Record<string, unknown>;
  /** The `wx` object the mini-program sees. */
  readonly wx: FakeWx;
  /** Controls of the wx fake: requests, network, storage, listeners. */
  readonly fake: WxFake;
  /** Key → JSON text; pass it to the next `startMiniProgram({ storage })` to relaunch. */
  readonly storage: Map<string, string>;
  /** What `getApp()` returns: the object given to `App()`. */
  readonly app: Record<string, unknown> | undefined;
  /** The page stack, bottom first (a copy). */
  readonly pages: PageInstance[];
  readonly top: PageInstance | undefined;
  /** Every hook the harness called, in order: 'app.onLaunch', 'pages/a/a.onShow', … */
  readonly calls: string[];
  /** What mini-program code threw (and WeChat would have reported to onError). */
  readonly errors: unknown[];
  /** Everything the mini-program logged. */
  readonly logs: { level: string; args: unknown[] }[];
  /** Options of `Component()` calls that did not register a page. */
  readonly components: Record<string, unknown>[];
  readonly frozen: boolean;
  readonly pendingTimers: number;

  /** Runs a script in the context (global scope) and returns its completion value. */
  run(code: string, filename?: string): unknown;
  /**
   * Runs CommonJS code wrapped as WeChat wraps modules; returns its `module.exports`. Its
   * `require` resolves from `filename` (a path from the mini-program root). Not cached.
   */
  runModule(code: string, filename?: string): unknown;
  /** `require`s the module at `path` from the mini-program root (`root`, `modules`, `npm`). */
  require(path: string): unknown;
  /**
   * Starts the project as WeChat does without lazy code loading: requires `app.js`, then
   * registers every page of `pages` from its module (`<route>.js`).
   */
  loadApp(): void;
  /** Runs a built CommonJS bundle (default: sdk-miniprogram/miniprogram_dist/index.js); its exports. */
  loadBundle(path?: string): unknown;
  /**
   * Registers the page at `route` as WeChat's loader does: runs the page's code (a string, or
   * without `source` its module `<route>.js`) with the route being loaded, or calls the context's
   * current `Page` (or `Component`, with kind 'component') with `options`: so whatever the SDK
   * wrapped them with runs.
   */
  definePage(
    route: string,
    source?: string | Record<string, unknown>,
    kind?: 'page' | 'component',
  ): PageDefinition;

  /** Cold start: App.onLaunch → App.onShow → onAppShow listeners → the entry page. */
  launch(options?: Partial<LaunchOptions>): LaunchOptions;
  /** navigateTo: top page onHide; new page onLoad → onShow → onReady. */
  open(route: string, query?: Query): PageInstance;
  /** redirectTo: top page onUnload; the new page replaces it. */
  redirect(route: string, query?: Query): PageInstance;
  /** navigateBack: top page(s) onUnload; the page below onShow. */
  back(delta?: number): PageInstance;
  /** Background: top page onHide → App.onHide → onAppHide listeners (then freeze, if asked). */
  hide(options?: HideOptions): void;
  /** Foreground (thaws): App.onShow → onAppShow listeners → top page onShow. */
  show(options?: Partial<LaunchOptions>): LaunchOptions;
  /** Calls a method of the top page with a tap event. */
  tap(method: string, target?: TapTarget, detail?: { x?: number; y?: number }): unknown;
  /** Calls a method of the top page with another event, e.g. `getphonenumber` and its detail. */
  trigger(method: string, event: HandlerEvent): unknown;
  /** Shares the top page (menu by default); unavailable without onShareAppMessage. */
  share(options?: ShareOptions): Promise<ShareOutcome>;
  /** Shares the top page to Moments; needs onShareTimeline and onShareAppMessage. */
  shareTimeline(): ShareTimelineOutcome;

  /** Stops timers and native callbacks, as iOS freezes a backgrounded app. */
  freezeTimers(): void;
  /** Resumes them; what came due meanwhile runs on the next macrotask. */
  thawTimers(): void;
  /** Runs every pending timer once now; returns how many ran. */
  runPendingTimers(): number;
  /** The process dies: no hooks run, timers and requests are cancelled; storage survives. */
  kill(): void;
}
