import type { ClientOptions, OutgoingEvent } from '@spoor/sdk-core';

/** What {@link createSpoor} captures by itself; every part can be switched off. */
export interface Autocapture {
  /** `$MPLaunch`: scene, path, query, referrer app, campaign, sharer (default on). */
  launch?: boolean;
  /** `$MPShow` / `$MPHide` with the time in the foreground (default on). */
  show?: boolean;
  /** `$MPViewScreen` on every page show (default on). */
  pageViews?: boolean;
  /** `$MPPageLeave` with the time the page was shown (default on). */
  pageLeave?: boolean;
  /** `$MPShare`, and the sharer's ID appended to shared paths (default on). */
  share?: boolean;
  /** Page methods whose calls are recorded as `$MPClick`, e.g. `['onBuy']` (default none). */
  taps?: string[];
}

/** Options of {@link createSpoor}. */
export interface MiniProgramOptions extends Omit<
  ClientOptions,
  'library' | 'requireUser' | 'persistQueue'
> {
  /** Autocapture switches, or `false` for none. */
  autocapture?: Autocapture | false;
  /**
   * Wrap the global `App`, `Page` and `Component` (default true). With `false`, nothing global
   * is touched: pass your options through `spoor.wrapApp()`, `spoor.wrapPage()` and
   * `spoor.wrapComponent()`.
   */
  patch?: boolean;
  /** Query parameter that carries the sharer's anonymous ID in shared paths (default `spoor_sharer`). */
  shareParam?: string;
  /** Ms in the background after which the next show starts a new session (default 30 s). */
  sessionTimeout?: number;
  /** Page titles by route, for pages whose title is not in app.json (`navigationBarTitleText`). */
  titles?: Record<string, string>;
  /**
   * Last look at every event before it is queued: return it (changed or not) to keep it, or
   * null to drop it. For masking what must not leave the phone (phone numbers, ID numbers).
   */
  beforeSend?: (event: OutgoingEvent) => OutgoingEvent | null;
}

/** The switches with their defaults applied. */
export function autocaptureOf(given: Autocapture | false | undefined): Required<Autocapture> {
  const on = given !== false;
  const parts: Autocapture = given || {};
  const flag = (value: boolean | undefined) => on && value !== false;
  return {
    launch: flag(parts.launch),
    show: flag(parts.show),
    pageViews: flag(parts.pageViews),
    pageLeave: flag(parts.pageLeave),
    share: flag(parts.share),
    taps: on && Array.isArray(parts.taps) ? parts.taps.filter((t) => typeof t === 'string') : [],
  };
}
