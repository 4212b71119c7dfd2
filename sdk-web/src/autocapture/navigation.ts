/** What a navigation watcher is told, in this order: the page left, then the page entered. */
export interface NavigationListener {
  leave?(url: string): void;
  enter?(url: string, from: string): void;
}

const listeners = new Set<NavigationListener>();
let current = '';
let unpatch: (() => void) | null = null;

function check(): void {
  const url = location.href;
  if (url === current) return;
  const from = current;
  current = url;
  for (const l of listeners) l.leave?.(from);
  for (const l of listeners) l.enter?.(url, from);
}

/**
 * Calls `fn` after every call of `object[name]`, keeping its `this`, arguments, return value
 * and exceptions; another library's wrapper, before or after this one, keeps working.
 */
function after<T extends object>(object: T, name: keyof T & string, fn: () => void): () => void {
  const original = object[name] as unknown as (...args: unknown[]) => unknown;
  const wrapped = function (this: unknown, ...args: unknown[]) {
    try {
      return original.apply(this, args);
    } finally {
      try {
        fn();
      } catch {
        // Never into the host.
      }
    }
  };
  (object as Record<string, unknown>)[name] = wrapped;
  // Undone only while nobody wrapped it after us; otherwise theirs would be lost.
  return () => {
    if (object[name] === (wrapped as unknown)) (object as Record<string, unknown>)[name] = original;
  };
}

/**
 * Watches single-page-app navigation (history.pushState / replaceState, back and forward,
 * hash changes) and tells each listener once per URL change. One watcher is shared by every
 * plugin; it is removed with the last listener.
 */
export function watchNavigation(listener: NavigationListener): () => void {
  if (listeners.size === 0) {
    current = location.href;
    const undo = [after(history, 'pushState', check), after(history, 'replaceState', check)];
    addEventListener('popstate', check);
    addEventListener('hashchange', check);
    unpatch = () => {
      for (const fn of undo) fn();
      removeEventListener('popstate', check);
      removeEventListener('hashchange', check);
    };
  }
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) unpatch?.();
  };
}
