// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { local } from './local.js';
import { COOKIES } from './storage.js';
import { page, settle, start, wipe } from './test-kit.js';
import { readCookie } from './cookie.js';

afterEach(wipe);

describe('identity storage', () => {
  it('keeps the visitor and the user across page loads, through cookie and localStorage', async () => {
    const net = page();
    const first = start();
    await first.ready;
    first.identify('u-1', { plan: 'gold' });
    await settle();
    const anonymousId = first.anonymousId;
    expect(readCookie(COOKIES.anonymousId)).toBe(anonymousId);
    expect(readCookie(COOKIES.userId)).toBe('u-1');
    first.shutdown();

    const second = start();
    await second.ready;
    expect([second.anonymousId, second.userId]).toEqual([anonymousId, 'u-1']);
    second.track('Second Page');
    await settle();
    expect(net.named('Second Page')[0]).toMatchObject({ anonymousId, userId: 'u-1' });
    second.shutdown();
  });

  it.each([
    ['the cookies alone', () => wipeCookies()],
    ['localStorage alone', () => localStorage.clear()],
  ])('keeps the visitor when %s is cleared', async (_what, clear) => {
    page();
    const first = start();
    await first.ready;
    first.identify('u-2');
    await settle();
    first.shutdown();
    clear();
    const second = start();
    await second.ready;
    expect([second.anonymousId, second.userId]).toEqual([first.anonymousId, 'u-2']);
    second.shutdown();
  });

  it('shares the cookies with every subdomain unless told otherwise', async () => {
    page('https://shop.example.com/');
    const spoor = start();
    await spoor.ready;
    await settle();
    // The cookie was written for example.com: a host-only delete leaves it, a domain delete not.
    document.cookie = `${COOKIES.anonymousId}=; path=/; max-age=0`;
    expect(readCookie(COOKIES.anonymousId)).toBe(spoor.anonymousId);
    document.cookie = `${COOKIES.anonymousId}=; path=/; max-age=0; domain=example.com`;
    expect(readCookie(COOKIES.anonymousId)).toBeNull();
    spoor.shutdown();
  });

  it('reset() forgets the user and starts a new visitor and session', async () => {
    const net = page();
    const spoor = start();
    await spoor.ready;
    spoor.identify('u-3');
    spoor.track('Before');
    const before = spoor.anonymousId;
    spoor.reset();
    spoor.track('After');
    await settle();
    const [a, b] = [net.named('Before')[0], net.named('After')[0]];
    expect(b).toMatchObject({ anonymousId: spoor.anonymousId });
    expect(b?.['userId']).toBeUndefined();
    expect(spoor.anonymousId).not.toBe(before);
    expect((a?.['context'] as Record<string, unknown>)['sessionId']).not.toBe(
      (b?.['context'] as Record<string, unknown>)['sessionId'],
    );
    expect(readCookie(COOKIES.userId)).toBeNull();
    spoor.shutdown();
  });
});

describe('what every event carries', () => {
  it('page, screen, locale, timezone, user agent, session and library', async () => {
    const net = page('https://shop.example.com/tea?id=7');
    document.title = 'Tea';
    const spoor = start();
    spoor.track('Viewed');
    await settle();
    const context = net.named('Viewed')[0]?.['context'] as Record<string, unknown>;
    expect(context).toMatchObject({
      page: {
        url: 'https://shop.example.com/tea?id=7',
        path: '/tea',
        search: '?id=7',
        title: 'Tea',
      },
      library: { name: '@spoor/web' },
      userAgent: navigator.userAgent,
      locale: navigator.language,
    });
    expect(context['screen']).toHaveProperty('width');
    expect(typeof context['timezone']).toBe('string');
    expect(context['sessionId']).toMatch(/^[0-9a-f-]{36}$/);
    spoor.shutdown();
  });

  it('posts text/plain with the write key in the body: no CORS preflight', async () => {
    page();
    const spoor = start({ path: '/s/e' });
    spoor.track('Simple');
    await settle();
    const [url, init] = (fetch as unknown as { mock: { calls: [string, RequestInit][] } }).mock
      .calls[0]!;
    expect(url).toBe('https://t.example.com/s/e');
    expect(init.headers).toEqual({ 'content-type': 'text/plain' });
    expect(JSON.parse(init.body as string)).toMatchObject({ writeKey: 'wk_test' });
    spoor.shutdown();
  });
});

function wipeCookies(): void {
  for (const name of Object.values(COOKIES)) {
    document.cookie = `${name}=; path=/; max-age=0; domain=example.com`;
    document.cookie = `${name}=; path=/; max-age=0`;
  }
  expect(local.get('spoor.identity')).toBeDefined();
}
