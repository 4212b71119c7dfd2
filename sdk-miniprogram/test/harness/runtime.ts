import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { createLifecycle } from './lifecycle.js';
import { createModules, type ModuleRecord } from './modules.js';
import type { PageDefinition, PageInstance } from './pages.js';
import { wxmlBindings } from './project.js';
import { messageOf, type Realm } from './realm.js';
import { createScheduler } from './scheduler.js';
import { share, shareTimeline } from './share.js';
import { alive, normalizeRoute, type RuntimeState } from './state.js';
import { createWx, errorText, type WxFakeOptions } from './wx-fake.js';
import type { MiniProgram, MiniProgramOptions } from './types.js';

/** The built SDK bundle that `loadBundle()` runs by default. */
export const DEFAULT_BUNDLE = fileURLToPath(
  new URL('../../miniprogram_dist/index.js', import.meta.url),
);

/**
 * ES2020+ built-ins removed from the context unless `modernBuiltins` is set: old iOS
 * JavaScriptCore lacks them, so an SDK that uses them must fail here, not on users' phones.
 */
export const MODERN_BUILTINS = [
  ...['Array.prototype.at', 'Array.prototype.findLast', 'Array.prototype.findLastIndex'],
  ...['String.prototype.at', 'String.prototype.replaceAll', 'String.prototype.matchAll'],
  ...['Promise.allSettled', 'Promise.any', 'Object.hasOwn', 'AggregateError', 'WeakRef'],
  ...['FinalizationRegistry', 'structuredClone', 'globalThis'],
];

/**
 * WeChat runs every module as `define(path, function (require, module, exports, window, …))`:
 * browser globals are parameters left undefined, so `typeof window` is 'undefined' there too.
 */
const MODULE_PARAMS = [
  ...['require', 'module', 'exports', 'window', 'document', 'frames', 'self', 'location'],
  ...['navigator', 'localStorage', 'history', 'Caches', 'screen', 'alert', 'confirm'],
  ...['prompt', 'XMLHttpRequest', 'WebSocket', 'Reporter', 'webkit', 'WeixinJSCore'],
];

const REMOVE_BUILTINS = `(function (g, names) {
  names.forEach(function (name) {
    var path = name.split('.');
    var owner = path.length === 1 ? g : path.slice(0, -1).reduce(function (o, k) { return o[k]; }, g);
    delete owner[path[path.length - 1]];
  });
})(this, %NAMES%);`;

type Fn = (...args: unknown[]) => unknown;

/** Starts a mini-program in a fresh `node:vm` context holding only mini-program globals. */
export function startMiniProgram(options: MiniProgramOptions = {}): MiniProgram {
  const pages = (options.pages ?? ['pages/index/index']).map(normalizeRoute);
  // scheduler, realm and fake are set below: each needs what comes before it.
  const state = {
    definitions: new Map<string, PageDefinition>(),
    stack: [],
    app: undefined,
    launched: false,
    dead: false,
    calls: [],
    errors: [],
    created: new WeakMap(),
    appName: options.appName ?? 'Spoor Demo',
    pages,
    entryPath: pages[0] ?? '',
    throwOnError: options.throwOnError ?? true,
    bindings: (route: string) => wxmlBindings(options.root, route),
  } as Partial<RuntimeState> as RuntimeState;
  let reporting = false;
  /** WeChat reports errors in app code to App.onError and wx.onError listeners. */
  const report = (error: unknown) => {
    state.errors.push(error);
    if (reporting) return;
    reporting = true;
    try {
      const onError = state.app?.['onError'];
      if (typeof onError === 'function') onError.call(state.app, errorText(error));
      state.fake.emitError(error);
    } catch (nested) {
      state.errors.push(nested);
    } finally {
      reporting = false;
    }
  };
  const scheduler = createScheduler(report);
  state.scheduler = scheduler;

  const logs: { level: string; args: unknown[] }[] = [];
  const echo = options.echoConsole ?? ['warn', 'error'];
  const levels = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const mpConsole = Object.fromEntries(
    levels.map((level) => [
      level,
      (...args: unknown[]) => {
        logs.push({ level, args });
        if (echo === true || (Array.isArray(echo) && echo.includes(level))) {
          console[level]('[mini-program]', ...args);
        }
      },
    ]),
  );

  let loadingRoute: string | undefined;
  const components: Record<string, unknown>[] = [];
  let defaultApp: Record<string, unknown> | undefined;
  const register = (kind: 'page' | 'component', pageOptions: unknown) => {
    const route = loadingRoute;
    const record = (pageOptions ?? {}) as Record<string, unknown>;
    if (route === undefined || (kind === 'component' && state.definitions.has(route))) {
      if (kind === 'page') throw new state.realm.Error('Page() called outside a page module');
      components.push(record);
      return;
    }
    if (state.definitions.has(route)) {
      throw new state.realm.Error(`Page() called twice for ${route}`);
    }
    state.definitions.set(route, { route, kind, options: record });
  };
  // What `require` resolves from the root: scripts given to run() are not modules.
  const requireFromRoot = (request: unknown) => modules.require('', request);
  const globals: Record<string, unknown> = {
    App(appOptions: Record<string, unknown> = {}) {
      if (state.app) throw new state.realm.Error('App() called twice');
      state.app = defaultApp ? Object.assign(defaultApp, appOptions) : appOptions;
    },
    Page: (pageOptions: unknown) => register('page', pageOptions),
    Component: (componentOptions: unknown) => register('component', componentOptions),
    Behavior: (behaviorOptions: unknown) => behaviorOptions,
    getApp: (opts?: { allowDefault?: boolean }) =>
      state.app ?? (opts?.allowDefault ? (defaultApp ??= {}) : undefined),
    getCurrentPages: () => state.realm.Array.from(state.stack),
    console: mpConsole,
    setTimeout: scheduler.setTimeout,
    clearTimeout: scheduler.clearTimeout,
    setInterval: scheduler.setInterval,
    clearInterval: scheduler.clearInterval,
    require: requireFromRoot,
  };
  const context = vm.createContext(globals, {
    name: 'mini-program',
    // WeChat forbids eval and new Function.
    codeGeneration: { strings: false, wasm: false },
  }) as Record<string, unknown>;
  if (!options.modernBuiltins) {
    vm.runInContext(REMOVE_BUILTINS.replace('%NAMES%', JSON.stringify(MODERN_BUILTINS)), context);
  }
  state.realm = vm.runInContext(
    '({ JSON: JSON, Promise: Promise, Error: Error, Array: Array, Uint8Array: Uint8Array })',
    context,
  ) as Realm;
  const wxOptions: WxFakeOptions = {
    ...options,
    scheduler,
    realm: state.realm,
    entryPath: pages[0],
    navigator: () => navigator,
  };
  state.fake = createWx(wxOptions);
  context['wx'] = state.fake.wx;
  context['module'] = vm.runInContext('({ exports: {} })', context);
  context['exports'] = (context['module'] as { exports: unknown }).exports;
  context['__wxConfig'] = state.realm.JSON.parse(
    JSON.stringify({
      pages,
      entryPagePath: `${pages[0] ?? ''}.html`,
      global: { window: { navigationBarTitleText: state.appName, ...options.window } },
      page: Object.fromEntries(
        pages.map((p) => [`${p}.html`, { window: { ...options.pageWindows?.[p] } }]),
      ),
      envVersion: state.fake.wx.getAccountInfoSync().miniProgram.envVersion,
      ...options.wxConfig,
    }),
  );

  const newModule = () => vm.runInContext('({ exports: {} })', context) as ModuleRecord;
  /** Runs `code` as the module at `path`, whose `require` resolves from there. */
  const evaluate = (code: string, path: string, module: ModuleRecord) => {
    alive(state);
    const wrapper = `(function (${MODULE_PARAMS.join(', ')}) {${code}\n})`;
    const define = new vm.Script(wrapper, { filename: path }).runInContext(context) as Fn;
    const require = (request: unknown) => modules.require(path, request);
    define.call(module.exports, require, module, module.exports);
  };
  const modules = createModules(options, {
    evaluate,
    newModule,
    error: (message) => new state.realm.Error(message),
  });
  const runModule = (code: string, filename = 'module.js'): unknown => {
    const module = newModule();
    evaluate(code, filename, module);
    return module.exports;
  };
  const { navigator, ...drivers } = createLifecycle(state);

  const definePage: MiniProgram['definePage'] = (route, source, kind = 'page') => {
    alive(state);
    const normalized = normalizeRoute(route);
    loadingRoute = normalized;
    context['__wxRoute'] = normalized;
    try {
      if (source === undefined) modules.require('', `./${normalized}.js`);
      else if (typeof source === 'string') runModule(source, `${normalized}.js`);
      else (context[kind === 'page' ? 'Page' : 'Component'] as Fn)(source);
    } catch (error) {
      throw new Error(`loading ${normalized} failed: ${messageOf(error)}`, { cause: error });
    } finally {
      loadingRoute = undefined;
      context['__wxRoute'] = undefined;
    }
    const definition = state.definitions.get(normalized);
    if (!definition) throw new Error(`${normalized} called neither Page() nor Component()`);
    return definition;
  };

  return {
    ...drivers,
    get context() {
      alive(state);
      return context;
    },
    get wx() {
      return state.fake.wx;
    },
    fake: state.fake,
    storage: state.fake.storage,
    get app() {
      return state.app;
    },
    get pages(): PageInstance[] {
      return [...state.stack];
    },
    get top() {
      return state.stack[state.stack.length - 1];
    },
    calls: state.calls,
    errors: state.errors,
    logs,
    components,
    get frozen() {
      return scheduler.frozen;
    },
    get pendingTimers() {
      return scheduler.pendingTimers;
    },
    run: (code: string, filename = 'script.js') => {
      alive(state);
      return new vm.Script(code, { filename }).runInContext(context) as unknown;
    },
    runModule,
    loadBundle: (path = DEFAULT_BUNDLE) => runModule(readFileSync(path, 'utf8'), path),
    require: (path) => modules.require('', `./${path.replace(/^\/+/, '')}`),
    definePage,
    loadApp() {
      modules.require('', './app.js');
      for (const route of pages) {
        if (!state.definitions.has(route)) definePage(route);
      }
    },
    share: (shareOptions) => share(state, shareOptions),
    shareTimeline: () => shareTimeline(state),
    freezeTimers: () => scheduler.freeze(),
    thawTimers: () => scheduler.thaw(),
    runPendingTimers: () => scheduler.runPendingTimers(),
    kill() {
      if (state.dead) return;
      state.dead = true;
      state.fake.kill();
      state.stack.length = 0;
    },
  };
}
