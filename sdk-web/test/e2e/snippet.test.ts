import { describe, expect, it } from 'vitest';
import { drain, openPage, sdkState, useE2E } from './browser-kit.js';
import { duplicates, ev } from './stack.js';

const setup = useE2E();

describe('the script-tag snippet, in real Chromium', () => {
  it('replays the calls made before the bundle loaded, in order, and then is the client', async () => {
    const { stack, context } = await setup();
    const { page, problems } = await openPage(context, stack, '/early.html');
    expect(stack.site.bundleRequests).toBe(1);
    await drain(page, stack);
    const stored = (await stack.events()).filter((e) => !ev.isMarker(e));
    const calls = stored.filter((e) => !ev.isPage(e));
    expect(calls.map((e) => [e['type'], e['event'] ?? null, e['userId']])).toEqual([
      ['identify', null, 'early-user'],
      ['track', 'Early', 'early-user'],
      ['track', 'Early', 'early-user'],
    ]);
    expect(calls.map((e) => ev.prop(e, 'n') ?? null)).toEqual([null, 1, 2]);
    expect(calls[0]).toMatchObject({ traits: { source: 'stub' } });
    expect(stored.filter(ev.isPage)).toHaveLength(1);
    expect(await sdkState(page)).toMatchObject({ userId: 'early-user' });
    expect(await page.evaluate(() => Array.isArray((window as { spoor?: unknown }).spoor))).toBe(
      false,
    );
    // Every event, automatic or not, carries the browser context.
    for (const e of await stack.events()) {
      expect(e['context']).toMatchObject({
        sessionId: expect.anything(),
        page: { path: '/early.html', title: 'Spoor early calls' },
        locale: 'zh-CN',
        timezone: 'Asia/Shanghai',
        userAgent: expect.stringContaining('Chrome'),
        screen: expect.any(Object),
        library: { name: '@spoor/web' },
      });
    }
    expect(await duplicates(stack)).toEqual({ stored: [], resent: [] });
    expect(problems).toEqual([]);
  });
});
