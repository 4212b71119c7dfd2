import type { PageDefinition, PageInstance } from './pages.js';
import { messageOf, type Realm } from './realm.js';
import type { Scheduler } from './scheduler.js';
import type { WxFake } from './wx-fake.js';

/** What the lifecycle drivers share with the runtime. */
export interface RuntimeState {
  fake: WxFake;
  scheduler: Scheduler;
  realm: Realm;
  definitions: Map<string, PageDefinition>;
  /** The page stack, bottom first. */
  stack: PageInstance[];
  app: Record<string, unknown> | undefined;
  launched: boolean;
  dead: boolean;
  /** Every lifecycle hook and handler the harness called, as `app.onShow`, `pages/a/a.onLoad`. */
  calls: string[];
  /** Errors thrown by mini-program code that WeChat would have reported to onError. */
  errors: unknown[];
  /** The mini-program's name: WeChat's default share title. */
  appName: string;
  /** app.json `pages`; the first is the entry page. */
  pages: string[];
  /** The first page of app.json. */
  entryPath: string;
  /** When each page instance was created, for event timeStamps. */
  created: WeakMap<object, number>;
  throwOnError: boolean;
  /** The handlers a page's WXML binds (`tap onBuy`), when the harness can read it. */
  bindings(route: string): Set<string> | undefined;
}

type Fn = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Calls `target[name]` (or `fn`) with `this` = target, as WeChat calls lifecycle hooks: what it
 * throws, or a promise it returns rejects with, is reported rather than thrown.
 */
export function callHook(
  state: RuntimeState,
  target: Record<string, unknown>,
  label: string,
  name: string,
  args: unknown[] = [],
  fn: unknown = target[name],
): unknown {
  if (typeof fn !== 'function') return undefined;
  state.calls.push(`${label}.${name}`);
  let result: unknown;
  state.scheduler.guard(() => {
    result = (fn as Fn).apply(target, args);
  });
  const then = (result as { then?: unknown } | null)?.then;
  if (typeof then === 'function' && name !== 'onShareAppMessage') {
    (then as Fn).call(result, undefined, (error: unknown) =>
      state.scheduler.guard(() => {
        throw error;
      }),
    );
  }
  return result;
}

/** Throws if the mini-program was killed. */
export function alive(state: RuntimeState): void {
  if (state.dead) throw new Error('the mini-program was killed; start a new one');
}

/**
 * Runs a driver step; when `throwOnError` is set and mini-program code threw during it, throws
 * afterwards (the whole step ran first, as WeChat carries on after reporting).
 */
export function step<T>(state: RuntimeState, what: string, body: () => T): T {
  alive(state);
  const before = state.errors.length;
  const result = body();
  const fresh = state.errors.slice(before);
  if (state.throwOnError && fresh.length > 0) {
    const text = fresh.map(messageOf).join('; ');
    throw new Error(`mini-program code threw during ${what}: ${text}`, { cause: fresh[0] });
  }
  return result;
}

/** Strips the leading slash WeChat routes do not have. */
export function normalizeRoute(route: string): string {
  return route.replace(/^\//, '').replace(/\.(js|html)$/, '');
}
