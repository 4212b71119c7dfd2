import {
  clearInterval as hostClearInterval,
  clearTimeout as hostClearTimeout,
  setImmediate as hostSetImmediate,
  setInterval as hostSetInterval,
  setTimeout as hostSetTimeout,
} from 'node:timers';

/** A callback the mini-program handed to the harness (a timer's, or a wx API's). */
type Callback = () => void;
type TimerCallback = (...args: unknown[]) => unknown;

interface Timer {
  fire: Callback;
  handle: NodeJS.Timeout;
  repeat: boolean;
  /** Came due while frozen and waits in the backlog. */
  queued: boolean;
}

/**
 * Everything that runs mini-program code later: its timers and the native callbacks of wx APIs.
 * Owning them lets a test freeze the app as iOS does after `onHide`, and kill it.
 */
export interface Scheduler {
  readonly frozen: boolean;
  readonly dead: boolean;
  /** Timers set and neither fired (timeouts) nor cleared. */
  readonly pendingTimers: number;
  /** Runs `fn` on a later macrotask, as a native callback: held while frozen, dropped once dead. */
  later(fn: Callback, delayMs?: number): void;
  /** Runs `fn` now, reporting what it throws instead of throwing (WeChat reports to onError). */
  guard(fn: Callback): void;
  // Function properties, not methods: the runtime hands them to the mini-program unbound.
  setTimeout: (callback: TimerCallback, delay?: number, ...args: unknown[]) => number;
  clearTimeout: (id?: number) => void;
  setInterval: (callback: TimerCallback, delay?: number, ...args: unknown[]) => number;
  clearInterval: (id?: number) => void;
  /** Stops running timer and native callbacks; the ones that come due wait for `thaw()`. */
  freeze(): void;
  /** Resumes, running what came due while frozen (on the next macrotask, in order). */
  thaw(): void;
  /** Runs every pending timer once now instead of waiting for it; returns how many ran. */
  runPendingTimers(): number;
  /** Cancels every timer and drops every callback still to come. */
  kill(): void;
}

/** Creates a scheduler that reports errors thrown by callbacks to `onError`. */
export function createScheduler(onError: (error: unknown) => void): Scheduler {
  const timers = new Map<number, Timer>();
  const backlog: (Callback | number)[] = [];
  let nextId = 1;
  let frozen = false;
  let dead = false;

  const guard = (fn: Callback) => {
    try {
      fn();
    } catch (error) {
      onError(error);
    }
  };

  const fire = (id: number) => {
    const timer = timers.get(id);
    if (!timer || dead) return;
    if (frozen) {
      if (!timer.queued) backlog.push(id);
      timer.queued = true;
      return;
    }
    if (!timer.repeat) timers.delete(id);
    timer.queued = false;
    guard(timer.fire);
  };

  const add = (
    repeat: boolean,
    callback: TimerCallback,
    delay: number | undefined,
    args: unknown[],
  ): number => {
    if (dead) return 0;
    if (typeof callback !== 'function') {
      // WeChat's timers take functions only; a string would be eval, which WeChat forbids.
      throw new TypeError('setTimeout/setInterval expects a function');
    }
    const id = nextId++;
    const ms = Math.max(0, Number(delay) || 0);
    const handle = repeat
      ? hostSetInterval(() => fire(id), ms)
      : hostSetTimeout(() => fire(id), ms);
    timers.set(id, { fire: () => void callback(...args), handle, repeat, queued: false });
    return id;
  };

  const clear = (id?: number) => {
    const timer = id === undefined ? undefined : timers.get(id);
    if (!timer || id === undefined) return;
    if (timer.repeat) hostClearInterval(timer.handle);
    else hostClearTimeout(timer.handle);
    timers.delete(id);
  };

  const drain = () => {
    while (backlog.length > 0 && !frozen && !dead) {
      const next = backlog.shift();
      if (typeof next === 'number') fire(next);
      else if (next) guard(next);
    }
  };

  return {
    get frozen() {
      return frozen;
    },
    get dead() {
      return dead;
    },
    get pendingTimers() {
      return timers.size;
    },
    later(fn, delayMs = 0) {
      if (dead) return;
      hostSetTimeout(() => {
        if (dead) return;
        if (frozen) backlog.push(fn);
        else guard(fn);
      }, delayMs);
    },
    guard,
    setTimeout: (callback, delay, ...args) => add(false, callback, delay, args),
    clearTimeout: clear,
    setInterval: (callback, delay, ...args) => add(true, callback, delay, args),
    clearInterval: clear,
    freeze() {
      frozen = true;
    },
    thaw() {
      if (!frozen) return;
      frozen = false;
      hostSetImmediate(drain);
    },
    runPendingTimers() {
      let ran = 0;
      for (const [id, timer] of [...timers]) {
        if (!timers.has(id)) continue;
        if (!timer.repeat) clear(id);
        ran++;
        guard(timer.fire);
      }
      return ran;
    },
    kill() {
      dead = true;
      for (const id of [...timers.keys()]) clear(id);
      backlog.length = 0;
    },
  };
}
