import type { WebPlugin } from '../options.js';

/** Elements whose clicks count: links, buttons, and anything marked for tracking. */
const CLICKABLE =
  'a,button,[role=button],input[type=button],input[type=submit],input[type=reset],[data-spoor-event]';

/** Options of {@link clicks}. */
export interface ClickOptions {
  /** Selectors whose elements (and everything inside them) are never captured. */
  ignore?: string[];
}

/** A short CSS path to the element: up to three levels, stopping at an ID. */
function selectorOf(element: Element): string {
  const parts: string[] = [];
  for (let el = element as Element | null; el && el.tagName !== 'HTML' && parts.length < 3;) {
    if (el.id) {
      parts.unshift(`#${el.id}`);
      break;
    }
    const classes = Array.from(el.classList, (c) => `.${c}`).join('');
    parts.unshift(el.tagName.toLowerCase() + classes);
    el = el.parentElement;
  }
  return parts.join(' > ').slice(0, 500);
}

/**
 * Click autocapture: `$WebClick` (or the value of `data-spoor-event`) with the element's tag,
 * text, CSS selector and link target. Never a form field's value: an input contributes its
 * `aria-label` only. Elements under `[data-spoor-ignore]`, password fields, and `ignore`
 * selectors are skipped.
 */
export function clicks(options: ClickOptions = {}): WebPlugin {
  const ignore = ['[data-spoor-ignore]', 'input[type=password]', ...(options.ignore ?? [])];
  return {
    name: 'clicks',
    setup(spoor) {
      const onClick = (e: Event) => {
        try {
          const target = e.target instanceof Element ? e.target : null;
          const el = target?.closest(CLICKABLE);
          if (!el || ignore.some((s) => el.closest(s))) return;
          const text =
            el instanceof HTMLInputElement
              ? (el.getAttribute('aria-label') ?? '')
              : (el.textContent ?? '').replace(/\s+/g, ' ').trim();
          const properties: Record<string, unknown> = {
            tag: el.tagName.toLowerCase(),
            text: text.slice(0, 255),
            selector: selectorOf(el),
          };
          const href = el.getAttribute('href');
          if (href !== null) properties['href'] = (el as HTMLAnchorElement).href || href;
          spoor.track(el.getAttribute('data-spoor-event') || '$WebClick', properties);
        } catch {
          // An invalid `ignore` selector, say: never into the page.
        }
      };
      // Capture phase: a handler that stops propagation must not hide the click.
      document.addEventListener('click', onClick, true);
      return () => document.removeEventListener('click', onClick, true);
    },
  };
}
