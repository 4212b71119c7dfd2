import type { WebPlugin } from '../options.js';
import { watchNavigation } from './navigation.js';

/**
 * Page views: one when the client starts, one per single-page-app navigation to a new URL, and
 * one when the page comes back from the back-forward cache. Properties: url, path, search,
 * title and referrer (the previous URL after an in-app navigation).
 */
export function pageviews(): WebPlugin {
  return {
    name: 'pageviews',
    setup(spoor) {
      const view = (href: string, referrer: string) => {
        const url = new URL(href);
        const page = {
          url: href,
          path: url.pathname,
          search: url.search,
          title: document.title,
          referrer,
        };
        // The view is sent a turn after the URL changed, when the page may have moved on again
        // (a redirect in one task): its context describes the page it is about, not the current.
        spoor.page(undefined, page, { context: { page } });
      };
      view(location.href, document.referrer);
      // After the router has had its turn: titles are usually set after the URL changes.
      const stop = watchNavigation({ enter: (url, from) => setTimeout(() => view(url, from), 0) });
      const back = (e: PageTransitionEvent) =>
        e.persisted && view(location.href, document.referrer);
      addEventListener('pageshow', back);
      return () => {
        stop();
        removeEventListener('pageshow', back);
      };
    },
  };
}
