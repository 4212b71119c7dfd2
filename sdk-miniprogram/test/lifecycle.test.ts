// Wrapping App/Page/Component: the host's handlers behave exactly as before, and Spoor sees the
// lifecycle. The built bundle runs in the harness; events reach a real collector().
import { describe, expect, it } from 'vitest';
import { bootSpoor, named, props, useCollector } from './kit.js';

const collector = useCollector();

/** Events of this test's anonymous ID only (the collector is shared by the file). */
async function eventsOf(anonymousId: string, name: string, count = 1) {
  return collector().waitFor(
    `${count} × ${name}`,
    (e) => e['anonymousId'] === anonymousId && named(name)(e),
    count,
  );
}

describe('Page, App and Component wrapping', () => {
  it("keeps the page's this, arguments and return values; hooks it lacks are still observed", async () => {
    const { mp, spoor } = bootSpoor(collector(), {
      app: `App({ globalData: { n: 1 }, onLaunch: function (o) { this.launchedWith = o.scene; return 'app-ret'; } })`,
    });
    const seen: unknown[] = [];
    mp.definePage('pages/index/index', {
      data: { a: 1 },
      onLoad(this: { route: string }, query: unknown) {
        seen.push(['load', this.route, query]);
        return 'load-ret';
      },
      helper() {
        return 42;
      },
    });
    // No onShow, onHide, onUnload at all.
    mp.definePage('pages/item/item', `Page({ data: {} });`);
    mp.launch({ scene: 1001, query: { a: 'b' } });
    expect(mp.app?.['launchedWith']).toBe(1001);
    expect(mp.calls.slice(0, 3)).toEqual([
      'app.onLaunch',
      'app.onShow',
      'pages/index/index.onLoad',
    ]);
    expect(seen).toEqual([['load', 'pages/index/index', { a: 'b' }]]);
    expect((mp.top!['onLoad'] as (q: unknown) => unknown).call(mp.top, {})).toBe('load-ret');
    expect((mp.top!['helper'] as () => unknown).call(mp.top)).toBe(42);
    mp.open('pages/item/item', { id: '9' });
    mp.back();
    const views = await eventsOf(spoor.anonymousId, '$MPViewScreen', 3);
    expect(views.map((e) => props(e)['path'])).toEqual([
      'pages/index/index',
      'pages/item/item',
      'pages/index/index',
    ]);
    const leaves = await eventsOf(spoor.anonymousId, '$MPPageLeave', 2);
    expect(leaves.map((e) => props(e)['path'])).toEqual(['pages/index/index', 'pages/item/item']);
  });

  it('observes pages registered through Component (Taro, uni-app), without touching other components', async () => {
    const { mp, spoor } = bootSpoor(collector());
    mp.definePage('pages/index/index', { onShow() {} });
    mp.definePage(
      'pages/item/item',
      `Component({ properties: { id: String }, methods: {
         onLoad: function (q) { this.loadedId = q.id; },
         onShareAppMessage: function () { return { title: 'From a component page' }; } } });`,
      'component',
    );
    mp.run(`Component({ properties: {}, methods: { tapMe: function () {} } })`, 'components/x.js');
    mp.launch();
    mp.open('pages/item/item', { id: '7' });
    expect(mp.top!['loadedId']).toBe('7');
    const shared = await mp.share();
    expect(shared.available && shared.content.title).toBe('From a component page');
    mp.hide();
    const views = await eventsOf(spoor.anonymousId, '$MPViewScreen', 2);
    expect(props(views[1])).toMatchObject({ path: 'pages/item/item', query: { id: '7' } });
    await eventsOf(spoor.anonymousId, '$MPShare');
    // A plain component is still a component: no share handler was added to it.
    expect(mp.components).toHaveLength(1);
    const methods = mp.components[0]!['methods'] as Record<string, unknown>;
    expect(methods['onShareAppMessage']).toBeUndefined();
  });

  it('chains with a host that wraps Page and App itself, before or after Spoor', async () => {
    const { mp, spoor } = bootSpoor(collector(), {
      app: `
        var hostLog = [];
        var spoorPage = Page;
        Page = function (options) {
          var own = options.onShow;
          options.onShow = function () { hostLog.push('host onShow ' + this.route); if (own) return own.apply(this, arguments); };
          return spoorPage(options);
        };
        App({ hostLog: hostLog });`,
      harness: {},
    });
    mp.definePage('pages/index/index', {
      onShow(this: { shows?: number }) {
        this.shows = (this.shows ?? 0) + 1;
      },
    });
    mp.launch();
    expect(mp.top!['shows']).toBe(1);
    expect(mp.app?.['hostLog']).toEqual(['host onShow pages/index/index']);
    const views = await eventsOf(spoor.anonymousId, '$MPViewScreen');
    expect(views).toHaveLength(1);
  });

  it('a host wrapper installed before Spoor keeps working too', async () => {
    const { mp, spoor } = bootSpoor(collector(), {
      before: `var hostPage = Page; var wrapped = 0;
        Page = function (o) {
          wrapped++;
          var own = o.onLoad;
          o.onLoad = function (q) { this.hostSaw = q.k; if (own) return own.call(this, q); };
          return hostPage(o);
        };`,
    });
    mp.definePage('pages/index/index', {
      onLoad(this: { ownSaw?: unknown }, q: { k?: string }) {
        this.ownSaw = q.k;
      },
    });
    mp.launch({ query: { k: 'v' } });
    expect(mp.context['wrapped']).toBe(1);
    expect(mp.top).toMatchObject({ hostSaw: 'v', ownSaw: 'v' });
    await eventsOf(spoor.anonymousId, '$MPViewScreen');
  });
});

describe('explicit wrapping (patch: false)', () => {
  it('leaves the globals alone; spoor.wrapPage gives the same capture; wrapping twice counts once', async () => {
    const { mp, spoor } = bootSpoor(collector(), {
      before: 'var originalPage = Page; var originalApp = App;',
      spoor: { patch: false },
      app: 'App(spoor.wrapApp({ onLaunch: function () { this.own = true; } }))',
    });
    expect(mp.context['Page']).toBe(mp.context['originalPage']);
    expect(mp.context['App']).toBe(mp.context['originalApp']);
    mp.definePage(
      'pages/index/index',
      'var options = { onShow: function () {} }; Page(spoor.wrapPage(spoor.wrapPage(options)));',
    );
    mp.definePage('pages/item/item', { onShow() {} }); // not wrapped: not observed
    mp.launch({ scene: 1011 });
    expect(mp.app?.['own']).toBe(true);
    mp.open('pages/item/item');
    mp.hide();
    await eventsOf(spoor.anonymousId, '$MPHide');
    const mine = (await collector().events()).filter((e) => e['anonymousId'] === spoor.anonymousId);
    expect(mine.map((e) => e['event'])).toEqual([
      '$MPLaunch',
      '$MPShow',
      '$MPViewScreen',
      '$MPPageLeave',
      '$MPHide',
    ]);
  });
});

describe('never throws into the host', () => {
  it('takes lifecycle calls out of order and wrappers given anything, without bogus events', async () => {
    const { mp, spoor } = bootSpoor(collector(), {
      app: `var appOptions = spoor.wrapApp({}); App(appOptions);`,
    });
    for (const bad of [null, undefined, 42, 'x', []]) {
      expect(spoor.wrapPage(bad as object)).toBe(bad);
      expect(spoor.wrapComponent(bad as object)).toBe(bad);
    }
    mp.definePage('pages/index/index', {});
    const app = mp.context['appOptions'] as Record<string, (o?: unknown) => void>;
    // WeChat would never: hide before launch, show with nothing, launch twice.
    expect(() => {
      app['onHide']!();
      app['onShow']!();
      app['onLaunch']!(null);
    }).not.toThrow();
    mp.launch();
    const page = mp.top as unknown as Record<string, (...args: unknown[]) => unknown>;
    expect(() => {
      page['onUnload']!.call(page);
      page['onHide']!.call(page); // a second leave of the same showing
      page['onShow']!.call({}); // no route: not a page
      page['onLoad']!.call(page, 'not an object');
    }).not.toThrow();
    mp.hide();
    await collector().waitFor(
      'hide',
      (e) => e['anonymousId'] === spoor.anonymousId && named('$MPHide')(e),
      2,
    );
    const leaves = (await collector().events()).filter(
      (e) => e['anonymousId'] === spoor.anonymousId && e['event'] === '$MPPageLeave',
    );
    expect(leaves).toHaveLength(1);
  });

  it("survives bad options and frozen page options; the host's own errors stay its own", async () => {
    const { mp, sdk } = bootSpoor(collector(), { harness: { throwOnError: false } });
    for (const bad of [null, undefined, 42, 'x', { writeKey: 7, host: {} }]) {
      expect(() => sdk.createSpoor(bad).track('x')).not.toThrow();
    }
    mp.definePage(
      'pages/index/index',
      `Page(Object.freeze({ onShow: function () { this.shown = true; } }))`,
    );
    mp.definePage(
      'pages/item/item',
      `Page({ onLoad: function () { throw new Error('host bug'); } })`,
    );
    mp.launch();
    expect(mp.top!['shown']).toBe(true);
    mp.open('pages/item/item');
    // WeChat reports the page's own error to App.onError; it is not swallowed.
    expect(String(mp.errors[0])).toContain('host bug');
    expect(mp.errors).toHaveLength(1);
  });
});
