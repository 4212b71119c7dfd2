// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { page, setVisibility, settle, start, wipe } from '../test-kit.js';
import { clicks } from './clicks.js';
import { pageLeave } from './page-leave.js';
import { pageviews } from './pageviews.js';

afterEach(async () => {
  document.body.innerHTML = '';
  setVisibility('visible');
  await wipe();
});

const views = (net: ReturnType<typeof page>) =>
  net
    .events()
    .filter((e) => e['type'] === 'page')
    .map((e) => (e['properties'] as { path: string }).path);

describe('page views', () => {
  it('one on start and one per new URL of single-page-app navigation, never twice for a URL', async () => {
    const net = page('https://shop.example.com/');
    const spoor = start({ plugins: [pageviews()] });
    history.pushState({}, '', '/products');
    history.replaceState({}, '', '/products'); // same URL: no view
    history.pushState({}, '', '/products/7');
    location.hash = '#reviews';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await settle();
    expect(views(net)).toEqual(['/', '/products', '/products/7', '/products/7']);
    const last = net
      .events()
      .filter((e) => e['type'] === 'page')
      .at(-2);
    expect(last?.['properties']).toMatchObject({ referrer: 'https://shop.example.com/products' });
    spoor.shutdown();
    // Unpatched: navigation after shutdown is not seen, and history still works.
    history.pushState({}, '', '/after');
    await settle();
    expect(location.pathname).toBe('/after');
    expect(views(net)).toHaveLength(4);
  });

  it('keeps another library’s history wrapper, whoever wrapped first', async () => {
    const net = page('https://shop.example.com/');
    const calls: unknown[] = [];
    const original = history.pushState;
    history.pushState = function (this: History, ...args: Parameters<History['pushState']>) {
      calls.push(args[2]);
      return original.apply(this, args);
    };
    const spoor = start({ plugins: [pageviews()] });
    history.pushState({ a: 1 }, '', '/wrapped');
    await settle();
    expect(calls).toEqual(['/wrapped']);
    expect(views(net)).toEqual(['/', '/wrapped']);
    expect(history.state).toEqual({ a: 1 });
    spoor.shutdown();
    history.pushState = original;
  });
});

describe('page leave', () => {
  it('tracks engaged time without the time the tab was hidden, before the next page view', async () => {
    const net = page('https://shop.example.com/a');
    let now = 1_000_000;
    const realNow = Date.now;
    Date.now = () => now;
    try {
      const spoor = start({ plugins: [pageLeave(), pageviews()] });
      now += 4000;
      setVisibility('hidden');
      now += 60_000;
      setVisibility('visible');
      now += 1000;
      history.pushState({}, '', '/b');
      await settle();
      const leave = net.named('$WebPageLeave')[0];
      expect(leave?.['properties']).toEqual({
        url: 'https://shop.example.com/a',
        path: '/a',
        engagedMs: 5000,
        durationMs: 65_000,
      });
      const order = net.events().map((e) => (e['type'] === 'page' ? 'page' : e['event']));
      expect(order).toEqual(['page', '$WebPageLeave', 'page']);
      spoor.shutdown();
    } finally {
      Date.now = realNow;
    }
  });
});

describe('clicks', () => {
  const click = (el: Element) => el.dispatchEvent(new MouseEvent('click', { bubbles: true }));

  it('captures links, buttons and marked elements; never form values; skips ignored ones', async () => {
    const net = page('https://shop.example.com/');
    document.body.innerHTML = `
      <nav id="top"><a class="nav link" href="/cart"><span>Cart (2)</span></a></nav>
      <button data-spoor-event="Product Added">Add <b>to</b>   cart</button>
      <form><input type="text" value="13812345678"><input type="submit" value="Pay 13812345678" aria-label="Pay"></form>
      <div class="private"><button>Hidden</button></div>
      <div data-spoor-ignore><a href="/x">Ignored</a></div>
      <p>Not clickable</p>`;
    const spoor = start({ plugins: [clicks({ ignore: ['.private'] })] });
    await spoor.ready;
    click(document.querySelector('span')!);
    click(document.querySelector('button')!);
    click(document.querySelector('input[type=text]')!);
    click(document.querySelector('input[type=submit]')!);
    click(document.querySelector('.private button')!);
    click(document.querySelector('[data-spoor-ignore] a')!);
    click(document.querySelector('p')!);
    await settle();
    expect(net.events().map((e) => [e['event'], e['properties']])).toEqual([
      [
        '$WebClick',
        {
          tag: 'a',
          text: 'Cart (2)',
          selector: '#top > a.nav.link',
          href: 'https://shop.example.com/cart',
        },
      ],
      ['Product Added', { tag: 'button', text: 'Add to cart', selector: 'body > button' }],
      ['$WebClick', { tag: 'input', text: 'Pay', selector: 'body > form > input' }],
    ]);
    expect(JSON.stringify(net.events())).not.toContain('13812345678');
    spoor.shutdown();
  });

  it('a bad ignore selector or a throwing plugin never reaches the page', async () => {
    const net = page();
    document.body.innerHTML = '<button>Go</button>';
    const spoor = start({
      plugins: [
        clicks({ ignore: ['::not a selector'] }),
        {
          name: 'broken',
          setup: () => {
            throw new Error('boom');
          },
        },
      ],
    });
    expect(() => click(document.querySelector('button')!)).not.toThrow();
    spoor.track('Still working');
    await settle();
    expect(net.named('Still working')).toHaveLength(1);
    spoor.shutdown();
  });
});
