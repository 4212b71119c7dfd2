import { campaignOf } from '@spoor/sdk-core';
import { local } from './local.js';

/** One touch: where a visit came from. */
export type Touch = Record<string, string>;

/**
 * The touch a page was reached by: its UTM parameters and click IDs, and the referrer when it
 * is another site. A direct visit (none of these) is not a touch and overwrites nothing.
 */
export function touchOf(url: URL, referrer: string, ownDomain: string): Touch | null {
  const touch: Touch = campaignOf((param) => url.searchParams.get(param));
  try {
    const from = new URL(referrer);
    const host = from.hostname;
    if (host !== ownDomain && !host.endsWith(`.${ownDomain}`))
      touch['referrer'] = referrer.slice(0, 1000);
  } catch {
    // No referrer, or not a URL.
  }
  if (Object.keys(touch).length === 0) return null;
  touch['landing'] = (url.origin + url.pathname).slice(0, 1000);
  return touch;
}

/**
 * First- and last-touch attribution, persisted: the first touch is kept for good, the last is
 * replaced by each new one. Events carry the last as `context.campaign` (Segment's field) and
 * the first as `context.firstTouch`. `save()` writes them once consent allows.
 */
export function createAttribution(key: string, now: Touch | null, persist: () => boolean) {
  let state = (local.get(key) as { first?: Touch; last?: Touch } | undefined) ?? {};
  if (now) state = { first: state.first ?? now, last: now };
  const save = () => {
    if (persist() && (state.first || state.last)) local.set(key, state);
  };
  return {
    save,
    context(): Record<string, unknown> {
      const out: Record<string, unknown> = {};
      if (state.last) out['campaign'] = state.last;
      if (state.first) out['firstTouch'] = state.first;
      return out;
    },
    reset() {
      state = {};
      local.remove(key);
    },
  };
}
