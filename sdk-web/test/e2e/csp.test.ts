import { describe, expect, it } from 'vitest';
import { closeTab, flush, openPage, track, useE2E } from './browser-kit.js';
import { ev, storedWhere } from './stack.js';

const setup = useE2E();

describe('a page with a strict Content-Security-Policy, in real Chromium', () => {
  it('works without eval or inline code: no violation; fetch and beacon both reach the collector under connect-src', async () => {
    // Nothing leaves the page until flush() (fetch) or the page goes away (beacon).
    const { stack, context } = await setup({ flushAt: 1000, flushInterval: 600_000 });
    const { page, problems } = await openPage(context, stack, '/csp.html');
    const response = await page.reload();
    expect(response?.headers()['content-security-policy']).toBe(
      `default-src 'self'; script-src 'self' 'nonce-abc'; connect-src ${stack.proxy.url}`,
    );
    await page.click('#buy');
    await track(page, 'Under CSP', { ok: true });
    await flush(page);
    await storedWhere(stack, 'both page views', ev.isPage, 2);
    const [click] = await storedWhere(stack, 'the click', ev.named('$WebClick'));
    expect(click).toMatchObject({ properties: { tag: 'button', text: 'Buy now' } });
    const [custom] = await storedWhere(stack, 'the custom event', ev.named('Under CSP'));
    expect(stack.proxy.requests.find((r) => r.messageIds.includes(ev.id(custom)))).toMatchObject({
      mode: 'cors',
    });

    await track(page, 'At Close');
    await closeTab(page);
    const [last] = await storedWhere(stack, 'the event tracked at close', ev.named('At Close'));
    expect(stack.proxy.requests.find((r) => r.messageIds.includes(ev.id(last)))).toMatchObject({
      mode: 'no-cors',
    });
    // One leave event per page: the reload's and the close's.
    const leaves = await storedWhere(stack, 'two leave events', ev.named('$WebPageLeave'), 2);
    expect(leaves.map((e) => ev.prop(e, 'path'))).toEqual(['/csp.html', '/csp.html']);
    expect(problems).toEqual([]);
  });
});
