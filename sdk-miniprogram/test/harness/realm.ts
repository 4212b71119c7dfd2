import type { Scheduler } from './scheduler.js';

type Wx = WechatMiniprogram.Wx;

/**
 * The built-ins of the realm the mini-program runs in. Values the harness hands to it are made
 * with these, so that `instanceof Array`, `instanceof Error` and `.constructor === Object` hold
 * inside the vm context as they do in WeChat.
 */
export interface Realm {
  JSON: JSON;
  Promise: PromiseConstructor;
  Error: ErrorConstructor;
  Array: ArrayConstructor;
  Uint8Array: Uint8ArrayConstructor;
}

/** This Node realm, for a wx fake used outside a vm context. */
export const hostRealm: Realm = { JSON, Promise, Error, Array, Uint8Array };

/** A deep copy of plain data (JSON semantics) made in `realm`. */
export function adopt<T>(realm: Realm, value: T): T {
  if (value === undefined) return value;
  return realm.JSON.parse(JSON.stringify(value)) as T;
}

/** An error's message, whichever realm it comes from. */
export function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

/** What a wx API implementation needs from its surroundings. */
export interface ApiEnv {
  scheduler: Scheduler;
  realm: Realm;
}

/** A registry behind a wx `onX` / `offX` pair. */
export interface Listeners<A> {
  on(listener: (arg: A) => void): void;
  /** Without a listener, removes all of them (as WeChat's `offX()` does). */
  off(listener?: (arg: A) => void): void;
  /** Calls every listener now, each with its own copy of `arg`; errors are reported, not thrown. */
  emit(arg: A): void;
  readonly size: number;
}

/** Creates a listener registry whose listeners run through `env.scheduler.guard`. */
export function createListeners<A>(env: ApiEnv): Listeners<A> {
  let listeners: ((arg: A) => void)[] = [];
  return {
    on(listener) {
      if (typeof listener === 'function') listeners.push(listener);
    },
    off(listener) {
      listeners = listener ? listeners.filter((l) => l !== listener) : [];
    },
    emit(arg) {
      for (const listener of [...listeners]) {
        env.scheduler.guard(() => listener(adopt(env.realm, arg)));
      }
    },
    get size() {
      return listeners.length;
    },
  };
}

/** A wx API's failure: `detail` follows `<api>:fail ` in errMsg. */
export class WxFail extends Error {
  constructor(
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

type OptionOf<K extends keyof Wx> = Wx[K] extends (option: infer O) => unknown
  ? NonNullable<O>
  : never;

/** The success result of wx API `K`, from miniprogram-api-typings. */
export type SuccessOf<K extends keyof Wx> =
  OptionOf<K> extends { success?: (result: infer R) => void } ? R : never;

interface Callbacks {
  success?: (result: unknown) => void;
  fail?: (result: unknown) => void;
  complete?: (result: unknown) => void;
}

/**
 * Builds a callback-style wx API from `body`: `success`/`fail`/`complete` run on a later
 * macrotask (as the native bridge answers), or, when none is given, a Promise is returned (WeChat
 * promisifies its async APIs since base library 2.10.2). `body` throws {@link WxFail} to fail.
 * With `deferred`, `body` itself runs on that macrotask (a navigation happens after the call).
 */
export function callbackApi<K extends keyof Wx>(
  env: ApiEnv,
  name: K,
  body: (option: OptionOf<K>) => Omit<SuccessOf<K>, 'errMsg'>,
  deferred = false,
): Wx[K] {
  const run = (option: OptionOf<K>): { ok: boolean; result: Record<string, unknown> } => {
    try {
      const result = body(option) as Record<string, unknown>;
      return { ok: true, result: { ...result, errMsg: `${name}:ok` } };
    } catch (error) {
      if (!(error instanceof WxFail)) throw error;
      return { ok: false, result: { errMsg: `${name}:fail ${error.detail}`, ...error.extra } };
    }
  };
  const api = (option?: OptionOf<K>) => {
    const callbacks = (option ?? {}) as Callbacks;
    const now = deferred ? undefined : run((option ?? {}) as OptionOf<K>);
    const outcome = () => now ?? run((option ?? {}) as OptionOf<K>);
    const wanted = ['success', 'fail', 'complete'] as const;
    if (!wanted.some((k) => typeof callbacks[k] === 'function')) {
      return new env.realm.Promise((resolve, reject) => {
        env.scheduler.later(() => {
          const { ok, result } = outcome();
          if (ok) resolve(result);
          // WeChat rejects with the `{ errMsg }` object, not an Error.
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
          else reject(result);
        });
      });
    }
    env.scheduler.later(() => {
      const { ok, result } = outcome();
      const first = ok ? callbacks.success : callbacks.fail;
      if (typeof first === 'function') env.scheduler.guard(() => first(result));
      const complete = callbacks.complete;
      if (typeof complete === 'function') env.scheduler.guard(() => complete(result));
    });
    return undefined;
  };
  // The typings declare these APIs generic over the option type, with a conditional return type
  // (Promise or void) that no implementation can satisfy without a cast; the option and result
  // types above are still checked against the typings.
  return api as unknown as Wx[K];
}
