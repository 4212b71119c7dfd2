import { clicks, type ClickOptions } from './autocapture/clicks.js';
import { pageLeave } from './autocapture/page-leave.js';
import { pageviews } from './autocapture/pageviews.js';
import type { WebOptions, WebPlugin } from './options.js';
import { createSpoor, type Spoor } from './spoor.js';

/** What the script-tag snippet leaves in `window.spoor` before the bundle arrives. */
type Stub = unknown[][] & { config?: ScriptOptions };

/** The snippet's `config`: {@link WebOptions} plus switches for the bundled autocapture. */
export interface ScriptOptions extends WebOptions {
  autocapture?: { pageviews?: boolean; clicks?: boolean | ClickOptions; pageLeave?: boolean };
}

/** Reads configuration from the loading tag's `data-*` attributes (for strict-CSP sites). */
function fromTag(): ScriptOptions | undefined {
  const tag = document.currentScript;
  const writeKey = tag?.getAttribute('data-write-key');
  if (!tag || !writeKey) return undefined;
  return { writeKey, host: tag.getAttribute('data-host') ?? location.origin };
}

/**
 * The script-tag entry: takes the snippet's config and queued calls from `window.spoor`,
 * starts the client with the bundled autocapture, replays the calls in order, and leaves the
 * client in `window.spoor`.
 */
export function boot(): void {
  const w = window as unknown as { spoor?: Stub | Spoor };
  const stub = Array.isArray(w.spoor) ? w.spoor : null;
  if (w.spoor && !stub) return; // Loaded twice: the first client stays.
  const config = stub?.config ?? fromTag();
  if (!config) return;
  const auto = config.autocapture ?? {};
  const plugins: WebPlugin[] = [...(config.plugins ?? [])];
  if (auto.pageviews !== false) plugins.push(pageviews());
  if (auto.clicks !== false)
    plugins.push(clicks(typeof auto.clicks === 'object' ? auto.clicks : {}));
  if (auto.pageLeave !== false) plugins.push(pageLeave());
  const spoor = createSpoor({ ...config, plugins });
  w.spoor = spoor;
  for (const [method, ...args] of stub ?? []) {
    const fn = (spoor as unknown as Record<string, unknown>)[String(method)];
    if (typeof fn === 'function') (fn as (...a: unknown[]) => unknown).apply(spoor, args);
  }
}
