import type { WebPlugin } from '../options.js';
import { watchNavigation } from './navigation.js';

/**
 * `$WebPageLeave` when a page is left (an in-app navigation, or the tab closing or navigating
 * away), with `engagedMs` (time the page was visible) and `durationMs` (time since it was
 * entered), so that dwell time and bounce rate can be computed per page.
 */
export function pageLeave(): WebPlugin {
  return {
    name: 'pageLeave',
    setup(spoor) {
      let url = location.href;
      let path = location.pathname;
      let entered = Date.now();
      let engaged = 0;
      let visibleSince: number | null = document.visibilityState === 'visible' ? entered : null;
      const visibility = () => {
        const now = Date.now();
        if (document.visibilityState === 'visible') visibleSince ??= now;
        else if (visibleSince !== null) {
          engaged += now - visibleSince;
          visibleSince = null;
        }
      };
      const leave = () => {
        if (!url) return;
        const now = Date.now();
        spoor.track('$WebPageLeave', {
          url,
          path,
          engagedMs: engaged + (visibleSince === null ? 0 : now - visibleSince),
          durationMs: now - entered,
        });
        url = '';
      };
      const enter = () => {
        url = location.href;
        path = location.pathname;
        entered = Date.now();
        engaged = 0;
        visibleSince = document.visibilityState === 'visible' ? entered : null;
      };
      const stop = watchNavigation({ leave, enter });
      const show = (e: PageTransitionEvent) => e.persisted && enter();
      document.addEventListener('visibilitychange', visibility);
      addEventListener('pagehide', leave);
      addEventListener('pageshow', show);
      return () => {
        stop();
        document.removeEventListener('visibilitychange', visibility);
        removeEventListener('pagehide', leave);
        removeEventListener('pageshow', show);
      };
    },
  };
}
