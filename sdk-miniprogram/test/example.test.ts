// Runs the example mini-program (examples/miniprogram) from its own files, with
// require('@spoor/miniprogram') resolving to the built bundle as "Build npm" would place it, and
// its config.js replaced by one pointing at a real collector.
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Spoor } from '../src/index.js';
import {
  readProject,
  startMiniProgram,
  startMiniProgramCollector,
  until,
  type MiniProgram,
  type MiniProgramCollector,
} from './harness/index.js';
import { named, props } from './kit.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/miniprogram/', import.meta.url));
const SDK_PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const [HOME, PRODUCT, ME] = ['pages/index/index', 'pages/product/product', 'pages/me/me'];
const OPENID = 'o-demo-openid-0001';
type Event = Record<string, unknown>;

let collector: MiniProgramCollector;
beforeEach(async () => {
  collector = await startMiniProgramCollector();
});
afterEach(() => collector.close());

/** The example as WeChat DevTools would run it, sending to the test's collector. */
function startExample(storage?: Map<string, string>, writeKey = collector.writeKey): MiniProgram {
  const config = { host: collector.url, writeKey, apiBase: '' };
  const mp = startMiniProgram({
    ...readProject(EXAMPLE),
    storage,
    // The tests read what the example logs (`[spoor]` warnings) from `mp.logs`.
    echoConsole: false,
    npm: { '@spoor/miniprogram': SDK_PACKAGE },
    modules: { 'config.js': `module.exports = ${JSON.stringify(config)};` },
  });
  mp.loadApp();
  return mp;
}

const spoorOf = (mp: MiniProgram) => mp.app?.['spoor'] as Spoor;

/** Waits for a wx.navigateTo started by the example's code to land. */
const landed = (mp: MiniProgram, route: string) =>
  until(`${route} on top`, () => mp.top?.route === route && mp.top);

/** The member the me page shows. */
const memberOf = (mp: MiniProgram) =>
  mp.top?.data['member'] as { id: string; phone: string } | null | undefined;

/** Logs in on the me page with the example's placeholder server. */
async function logIn(mp: MiniProgram) {
  mp.tap('onLogin');
  await until('the login', () => Boolean(memberOf(mp)?.id));
}

it('runs the example: a shared card, a purchase, a share, login and hide reach the collector', async () => {
  const mp = startExample();
  // Cold start from a friend's card of the home page.
  mp.launch({ scene: 1007, path: HOME, query: { spoor_sharer: 'friend-anon' } });
  const anonymousId = spoorOf(mp).anonymousId;

  mp.tap('onOpen', { dataset: { id: 'sku-102' } });
  expect((await landed(mp, PRODUCT)).options).toEqual({ id: 'sku-102' });
  mp.tap('onBuy', { id: 'buy', dataset: { id: 'sku-102' } });

  const shared = await mp.share({ from: 'button' });
  expect(shared.available && shared.content).toEqual({
    title: 'Porcelain teapot · ¥268',
    imageUrl: '/images/share-card.png',
    path: `/pages/product/product?id=sku-102&spoor_sharer=${anonymousId}`,
  });
  const moments = mp.shareTimeline();
  expect(moments.available && moments.content).toEqual({
    title: 'Porcelain teapot',
    imageUrl: '/images/share-card.png',
    query: `id=sku-102&spoor_sharer=${anonymousId}`,
  });

  mp.back();
  mp.tap('onMe');
  await landed(mp, ME);
  await logIn(mp);
  mp.trigger('onGetPhoneNumber', {
    type: 'getphonenumber',
    detail: { errMsg: 'getPhoneNumber:ok', code: 'phone-code-1' },
  });
  await until('the phone number', () => Boolean(memberOf(mp)?.phone));
  expect(mp.top?.data).toMatchObject({ userId: 'member-1001', anonymousId });
  mp.hide({ freeze: true });

  await collector.waitFor('the flush on hide', named('$MPHide'));
  const events = inOrder(await collector.events()).filter((e) => e['anonymousId'] === anonymousId);
  expect(events.map(summary)).toEqual([
    '$MPLaunch pages/index/index',
    '$MPShow pages/index/index',
    '$MPViewScreen pages/index/index',
    '$MPPageLeave pages/index/index',
    'Product Viewed',
    '$MPViewScreen pages/product/product',
    '$MPClick pages/product/product',
    'Order Completed',
    '$MPShare pages/product/product',
    '$MPShare pages/product/product',
    '$MPPageLeave pages/product/product',
    '$MPViewScreen pages/index/index',
    '$MPPageLeave pages/index/index',
    '$MPViewScreen pages/me/me',
    'identify member-1001',
    'identify member-1001',
    '$MPPageLeave pages/me/me',
    '$MPHide pages/me/me',
  ]);
  const one = (name: string) => events.find(named(name));
  expect(props(one('$MPLaunch'))).toMatchObject({ scene: 1007, sharer: 'friend-anon' });
  expect(props(events.filter(named('$MPViewScreen'))[1])).toMatchObject({
    query: { id: 'sku-102' },
    title: 'Product',
    referrer: HOME,
  });
  expect(props(one('$MPClick'))).toMatchObject({ handler: 'onBuy', dataset: { id: 'sku-102' } });
  expect(props(one('Order Completed'))).toMatchObject({ revenue: 268, currency: 'CNY' });
  expect(events.filter(named('$MPShare')).map(props)).toMatchObject([
    { type: 'message', from: 'button', path: PRODUCT },
    { type: 'timeline', path: PRODUCT },
  ]);
  for (const event of events) {
    // The whole session is attributed to the friend whose card opened it.
    expect(event['context']).toMatchObject({
      referrer: { type: 'wechat_share', id: 'friend-anon' },
    });
  }

  // Before login: anonymous. From the login on: the member, with the openid bound.
  const login = events.findIndex((e) => e['type'] === 'identify');
  expect(events.slice(0, login).every((e) => !e['userId'] && !e['identities'])).toBe(true);
  for (const event of events.slice(login)) {
    expect(event).toMatchObject({
      userId: 'member-1001',
      identities: { wechat_openid: OPENID, wechat_unionid: 'u-demo-unionid-0001' },
    });
  }
  expect(events[login]).toMatchObject({ traits: { login_method: 'wechat' } });
  expect(events.at(-1)).toMatchObject({ identities: { phone: '13800138000' } });
  expect(mp.fake.ui.filter((u) => u.api === 'showToast').map((u) => u.title)).toEqual([
    'Ordered',
    'Logged in',
  ]);
  expect([mp.errors, mp.logs]).toEqual([[], []]);

  // The collector joined the anonymous visit, the openid, the member and the phone.
  const profile = await collector.collector.app.inject({
    url: `/v1/profiles/wechat_openid:${OPENID}`,
    headers: { authorization: collector.collector.bearer },
  });
  const identities = profile.json<{ identities: { type: string; value: string }[] }>().identities;
  expect(identities.map((i) => `${i.type}:${i.value}`).sort()).toEqual([
    `anonymous_id:${anonymousId}`,
    'phone:+8613800138000',
    'user_id:member-1001',
    `wechat_openid:${OPENID}`,
    'wechat_unionid:u-demo-unionid-0001',
  ]);

  // The friend who opens the shared card is attributed to this user.
  const friend = startExample();
  const [path = '', query = ''] = (shared.available ? shared.content.path : '').split('?');
  friend.launch({ scene: 1007, path, query: Object.fromEntries(new URLSearchParams(query)) });
  expect(friend.top?.route).toBe(PRODUCT);
  friend.hide();
  const [opened] = await collector.waitFor(
    'the friend',
    (e) => e['event'] === '$MPLaunch' && e['anonymousId'] !== anonymousId,
  );
  expect(props(opened)).toMatchObject({ sharer: anonymousId, query: { id: 'sku-102' } });
  expect(opened?.['context']).toMatchObject({
    referrer: { type: 'wechat_share', id: anonymousId },
  });
});

it('keeps the member across launches and forgets them on logout', async () => {
  const first = startExample();
  first.launch();
  first.tap('onMe');
  await landed(first, ME);
  await logIn(first);
  first.hide();
  await collector.waitFor('the first visit', named('$MPHide'));
  first.kill();

  const again = startExample(first.storage);
  again.launch({ scene: 1001 });
  again.tap('onMe');
  await landed(again, ME);
  expect(again.top?.data['member']).toEqual({ id: 'member-1001', phone: '' });
  again.tap('onLogout');
  const after = spoorOf(again).anonymousId;
  again.hide();
  await collector.waitFor('the second hide', named('$MPHide'), 2);

  const events = inOrder(await collector.events());
  const relaunch = events.filter(named('$MPLaunch'))[1];
  expect(relaunch).toMatchObject({ userId: 'member-1001', identities: { wechat_openid: OPENID } });
  const loggedOut = events.filter((e) => e['anonymousId'] === after);
  expect(loggedOut.map(summary)).toEqual(['$MPPageLeave pages/me/me', '$MPHide pages/me/me']);
  for (const event of loggedOut) expect(event['userId'] ?? event['identities']).toBeUndefined();
  expect([again.errors, again.logs]).toEqual([[], []]);
});

it('tells the developer in the console when the collector refuses the write key', async () => {
  const mp = startExample(undefined, 'dev_not_the_key');
  mp.launch();
  mp.hide();
  const warning = await until('the warning', () =>
    mp.logs.find((log) => log.level === 'warn' && log.args[0] === '[spoor] dropped'),
  );
  expect(warning.args.slice(2)).toEqual(['rejected', 'HTTP 401 unauthorized']);
  expect(await collector.events()).toEqual([]);
});

/**
 * Events in the order they were made: batches sent side by side (the hide-time send uses a
 * second request) may be stored in either order.
 */
const inOrder = (events: Event[]) =>
  [...events].sort((a, b) =>
    String(a['originalTimestamp']).localeCompare(String(b['originalTimestamp'])),
  );

/** `event path` (or `identify userId`), to compare sequences. */
function summary(event: Event): string {
  if (event['type'] === 'identify') return `identify ${String(event['userId'])}`;
  const path = props(event)['path'];
  return typeof path === 'string' ? `${String(event['event'])} ${path}` : String(event['event']);
}
