import { describe, expect, it } from 'vitest';
import { closeTab, flush, openPage, sdkReady, sdkState, track, useE2E } from './browser-kit.js';
import { duplicates, ev, expectLeave, storedWhere, until } from './stack.js';

const setup = useE2E();
/** Nothing is sent until the page goes away: no batch fills up, no timer fires. */
const HOLD = { flushAt: 1000, flushInterval: 600_000 };

describe('delivery when the tab closes, in real Chromium', () => {
  it('sends what is queued by beacon (text/plain) when the tab closes, and not again on the next visit', async () => {
    const { stack, context } = await setup(HOLD);
    const { page } = await openPage(context, stack);
    for (const i of [1, 2, 3, 4, 5]) await track(page, 'Queued', { i });
    await until('six events queued', async () => (await sdkState(page)).stats.queued >= 6);
    expect(stack.proxy.requests).toEqual([]);

    await closeTab(page);
    const queued = await storedWhere(stack, 'the five queued events', ev.named('Queued'), 5);
    const [view] = await storedWhere(stack, 'the page view', ev.isPage);
    const [leave] = await storedWhere(stack, 'the leave event', ev.named('$WebPageLeave'));
    expect(queued.map((e) => ev.prop(e, 'i'))).toEqual([1, 2, 3, 4, 5]);
    expect(leave).toMatchObject({ properties: { path: '/app/home' } });
    expectLeave(leave);
    for (const e of [view, leave, ...queued]) {
      const requests = stack.proxy.requests.filter((r) => r.messageIds.includes(ev.id(e)));
      expect(requests.map((r) => [r.mode, r.contentType])).toEqual([
        ['no-cors', expect.stringMatching(/^text\/plain/)],
      ]);
    }

    // The next visit finds nothing of the closed tab's left to send.
    const { page: again } = await openPage(context, stack);
    await flush(again);
    await storedWhere(stack, 'the second page view', ev.isPage, 2);
    expect(await duplicates(stack)).toEqual({ stored: [], resent: [] });
  });

  it('sends a queue larger than one beacon in bodies under 64 KB; what the browser refuses is sent on the next visit, each event once', async () => {
    const { stack, context } = await setup(HOLD);
    const { page } = await openPage(context, stack);
    // ~100 KB of UTF-8 in ~35 K UTF-16 characters: a size check in characters would pass.
    for (const i of [1, 2, 3, 4, 5, 6, 7, 8]) {
      await track(page, 'Big', { i, note: `${i}:${'订单备注'.repeat(1000)}` });
    }
    await until('nine events queued', async () => (await sdkState(page)).stats.queued >= 9);
    await closeTab(page);

    const { page: again } = await openPage(context, stack);
    await flush(again);
    const big = await storedWhere(stack, 'the eight big events', ev.named('Big'), 8);
    expect(big.map((e) => ev.prop(e, 'i')).sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    await storedWhere(stack, 'both page views', ev.isPage, 2);
    const beacons = stack.proxy.requests.filter((r) => r.mode === 'no-cors');
    expect(beacons.length).toBeGreaterThan(0);
    for (const beacon of beacons) expect(beacon.bytes).toBeLessThan(64 * 1024);
    expect(await duplicates(stack)).toEqual({ stored: [], resent: [] });
    // The leave event, tracked in pagehide behind the big ones, is not lost either.
    await storedWhere(stack, 'the leave event', ev.named('$WebPageLeave'));
  });

  it('a reload right after the page loaded: the first page view goes by beacon, and the reloaded page does not send it again', async () => {
    const { stack, context } = await setup(HOLD);
    const { page } = await openPage(context, stack);
    await page.reload();
    await sdkReady(page);
    await flush(page);
    const views = await storedWhere(stack, 'both page views', ev.isPage, 2);
    const first = stack.proxy.requests.filter((r) => r.messageIds.includes(ev.id(views[0])));
    expect(first.map((r) => r.mode)).toEqual(['no-cors']);
  });
});
