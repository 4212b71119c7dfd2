import { describe, expect, it } from 'vitest';
import {
  call,
  drain,
  flush,
  kickFlush,
  openPage,
  persisted,
  sdkReady,
  sdkState,
  track,
  useE2E,
} from './browser-kit.js';
import { ev, storedWhere } from './stack.js';

const setup = useE2E();
const NOTHING = { cookies: [], localStorage: [], indexedDbRecords: 0 };

describe('consent in real Chromium', () => {
  it('with consent pending sends and keeps nothing, across a reload, until optIn(); then sends what was held', async () => {
    const { stack, context } = await setup({ consent: 'pending' });
    const { page } = await openPage(context, stack);
    // flush() is not awaited: it settles only once the held events are delivered or dropped.
    await track(page, 'Before Consent', { load: 1 });
    await kickFlush(page);
    expect(await sdkState(page)).toMatchObject({ consent: 'pending' });

    // Leaving the page (pagehide, visibilitychange) must not send the held events either.
    await page.reload();
    await sdkReady(page);
    await track(page, 'Before Consent', { load: 2 });
    await kickFlush(page);
    expect(await persisted(page)).toEqual(NOTHING);
    expect(stack.proxy.requests).toEqual([]);

    await call(page, 'optIn');
    const { anonymousId, consent } = await sdkState(page);
    expect(consent).toBe('granted');
    const [held] = await storedWhere(stack, 'the held event', ev.named('Before Consent'));
    const [view] = await storedWhere(stack, 'the held page view', ev.isPage);
    expect(held).toMatchObject({ anonymousId, properties: { load: 2 } });
    expect(view).toMatchObject({ anonymousId, properties: { path: '/app/home' } });
    const kept = await persisted(page);
    expect(kept.cookies).toContain('spoor_aid');
    expect(kept.localStorage).toContain('spoor.identity');
    await drain(page, stack);
    // The first load's events were only ever in that page's memory.
    const stored = await stack.events();
    expect(stored.filter(ev.named('Before Consent'))).toHaveLength(1);
    expect(stored.filter(ev.isPage)).toHaveLength(1);
  });

  it('optOut() drops held events and clears the stored IDs; nothing is sent after it', async () => {
    const { stack, context } = await setup({ consent: 'pending' });
    const { page } = await openPage(context, stack);
    await track(page, 'Dropped');
    await call(page, 'optOut');
    expect(await sdkState(page)).toMatchObject({ consent: 'denied' });
    await call(page, 'optIn');
    await drain(page, stack);
    const names = (await stack.events()).map((e) => e['event'] ?? e['type']);
    expect(names).not.toContain('Dropped');
    expect(names).not.toContain('page');

    expect((await persisted(page)).cookies).toContain('spoor_aid');
    await call(page, 'optOut');
    await track(page, 'After Opt-out');
    await flush(page);
    const cleared = await persisted(page);
    expect(cleared.cookies).not.toContain('spoor_aid');
    expect(cleared.localStorage).not.toContain('spoor.identity');
    expect(cleared.indexedDbRecords).toBe(0);
    const sent = stack.proxy.requests.length;
    await page.reload();
    await sdkReady(page);
    await track(page, 'After Opt-out');
    await flush(page);
    expect(stack.proxy.requests).toHaveLength(sent);
    expect((await stack.events()).filter(ev.named('After Opt-out'))).toEqual([]);
  });
});
