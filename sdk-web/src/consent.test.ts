// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, settle, start, wipe } from './test-kit.js';

afterEach(async () => {
  Object.defineProperty(navigator, 'doNotTrack', { configurable: true, get: () => null });
  await wipe();
});

const written = async (prefix: string) => ({
  cookies: document.cookie,
  local: Object.keys(localStorage),
  databases: (await indexedDB.databases()).map((d) => d.name).filter((n) => n === prefix),
});

describe('consent', () => {
  it('pending: nothing sent or stored until optIn(), then everything waiting is sent', async () => {
    const net = page('https://shop.example.com/?utm_source=wechat');
    const spoor = start({ consent: 'pending', storagePrefix: 'pending.' });
    await spoor.ready;
    spoor.identify('u-9');
    spoor.track('Waiting');
    window.dispatchEvent(new Event('pagehide'));
    await settle(20);
    expect(net.posted).toHaveLength(0);
    expect(await written('pending')).toEqual({ cookies: '', local: [], databases: [] });

    spoor.optIn();
    await vi.waitFor(() => expect(net.named('Waiting')).toHaveLength(1));
    expect(net.named('Waiting')[0]).toMatchObject({
      userId: 'u-9',
      context: { campaign: { source: 'wechat' } },
    });
    await settle();
    expect(document.cookie).toContain('spoor_aid=');
    expect(Object.keys(localStorage).sort()).toEqual([
      'pending.attribution',
      'pending.consent',
      'pending.identity',
      'pending.session',
    ]);
    spoor.shutdown();
  });

  it('optOut() drops what waits, clears the stored identifiers, and is remembered', async () => {
    const net = page();
    const spoor = start({ consent: 'pending' });
    await spoor.ready;
    spoor.optIn();
    spoor.identify('u-10');
    await settle();
    net.answer(503);
    spoor.track('Dropped');
    spoor.optOut();
    await settle();
    expect(document.cookie).toBe('');
    expect(Object.keys(localStorage)).toEqual(['spoor.consent']);
    spoor.track('After');
    expect(spoor.stats().dropped.consent).toBeGreaterThanOrEqual(1);
    spoor.shutdown();

    const later = start();
    await later.ready;
    later.track('Still refused');
    await settle();
    expect(later.consent).toBe('denied');
    expect(net.named('Still refused')).toHaveLength(0);
    later.shutdown();
  });

  it('respects Do-Not-Track when asked to: nothing read, written or sent', async () => {
    const net = page();
    Object.defineProperty(navigator, 'doNotTrack', { configurable: true, get: () => '1' });
    const spoor = start({ respectDoNotTrack: true });
    await spoor.ready;
    spoor.track('Tracked?');
    await settle();
    expect(net.posted).toHaveLength(0);
    expect(document.cookie).toBe('');
    expect(Object.keys(localStorage)).toEqual([]);
    spoor.shutdown();
  });
});

describe('beforeSend', () => {
  it('masks or drops events before they leave the page', async () => {
    const net = page();
    const spoor = start({
      beforeSend: (event) => {
        if (event['event'] === 'Secret') return null;
        const props = event['properties'] as Record<string, unknown>;
        if (typeof props['phone'] === 'string')
          props['phone'] = props['phone'].replace(/\d(?=\d{4})/g, '*');
        return event;
      },
    });
    spoor.track('Signed Up', { phone: '13812345678' });
    spoor.track('Secret', { idNumber: '110101199003077777' });
    await settle();
    expect(net.events().map((e) => e['event'])).toEqual(['Signed Up']);
    expect(net.named('Signed Up')[0]?.['properties']).toEqual({ phone: '*******5678' });
    expect(spoor.stats().dropped.filtered).toBe(1);
    spoor.shutdown();
  });
});
