import { expect } from 'vitest';
import {
  startCollector,
  storedEvents,
  until,
  type TestCollector,
} from '../../../collector/test/kit.js';
import { startCountingProxy, type CountingProxy } from './counting-proxy.js';
import { startStaticSite, type SnippetConfig, type StaticSite } from './static-server.js';

/** The stored events' payloads, oldest first. */
export type Stored = Record<string, unknown>;

/** A collector behind a counting proxy, and a site on another origin whose key admits it. */
export interface Stack {
  collector: TestCollector;
  proxy: CountingProxy;
  site: StaticSite;
  /** Every stored event, oldest first. */
  events(): Promise<Stored[]>;
  close(): Promise<void>;
}

/** Starts a site whose snippet carries `config` (plus writeKey and host) against a fresh collector. */
export async function startStack(config: SnippetConfig = {}): Promise<Stack> {
  let rendered: SnippetConfig = {};
  let collectorOrigin = '';
  const site = await startStaticSite(
    () => rendered,
    () => collectorOrigin,
  );
  const collector = await startCollector({
    listen: true,
    ingestThreads: 1,
    writeKeys: [{ key: 'wk_web_e2e', source: 'web', origins: [site.origin] }],
  });
  const proxy = await startCountingProxy(collector.url);
  collectorOrigin = proxy.url;
  rendered = { writeKey: 'wk_web_e2e', host: proxy.url, flushAt: 1, ...config };
  return {
    collector,
    proxy,
    site,
    events: async () => (await storedEvents(collector)).map((s) => s.event),
    async close() {
      await site.close();
      await proxy.close();
      await collector.close();
    },
  };
}

export { until };

/** Polls the collector until `pick` selects `count` stored events; returns them. */
export async function storedWhere(
  stack: Stack,
  what: string,
  pick: (e: Stored) => boolean,
  count = 1,
): Promise<Stored[]> {
  let seen: Stored[] = [];
  try {
    return await until(what, async () => {
      seen = await stack.events();
      const found = seen.filter(pick);
      return found.length >= count && found;
    });
  } catch (error) {
    // Say what did arrive: the difference between "late" and "lost" is the whole diagnosis.
    const summary = seen.map((e) => `${String(e['type'])}:${ev.name(e)}`);
    const requests = stack.proxy.requests.map((r) => `${r.mode} ${r.bytes}B ${r.status}`);
    throw new Error(
      `${(error as Error).message}; stored: [${summary.join(', ')}]; requests: [${requests.join(', ')}]`,
      { cause: error },
    );
  }
}

/** Shorthands over stored event payloads. */
export const ev = {
  isPage: (e: Stored) => e['type'] === 'page',
  named: (name: string) => (e: Stored) => e['type'] === 'track' && e['event'] === name,
  isMarker: (e: Stored) => String(e['event']).startsWith('e2e marker'),
  prop: (e: Stored | undefined, key: string): unknown =>
    (e?.['properties'] as Record<string, unknown> | undefined)?.[key],
  context: (e: Stored | undefined): Record<string, unknown> =>
    (e?.['context'] as Record<string, unknown> | undefined) ?? {},
  id: (e: Stored | undefined) => String(e?.['messageId']),
  /** A track event's name, else its type. */
  name: (e: Stored | undefined): string => {
    const name = e?.['event'] ?? e?.['type'];
    return typeof name === 'string' ? name : '?';
  },
};

/**
 * Events stored more than once, and events the browser sent in more than one request, as
 * `name #messageId ×n` so that a failure says which events they were.
 */
export async function duplicates(stack: Stack): Promise<{ stored: string[]; resent: string[] }> {
  const events = await stack.events();
  const label = (id: string, n: number) => {
    const e = events.find((x) => ev.id(x) === id);
    const how = stack.proxy.requests
      .filter((r) => r.messageIds.includes(id))
      .map((r) => `${r.mode === 'no-cors' ? 'beacon' : 'fetch'} ${r.status}`);
    return `${ev.name(e)} #${id} ×${n}${how.length > 0 ? ` (${how.join(', ')})` : ''}`;
  };
  const ids = events.map(ev.id);
  const stored = ids
    .filter((id, i) => ids.indexOf(id) !== i)
    .map((id) => label(id, ids.filter((x) => x === id).length));
  const resent = [...new Set(stack.proxy.requests.flatMap((r) => r.messageIds))]
    .filter((id) => stack.proxy.sends(id) > 1)
    .map((id) => label(id, stack.proxy.sends(id)));
  return { stored, resent };
}

/** Checks a `$WebPageLeave` event's properties. */
export function expectLeave(leave: Stored | undefined): void {
  const props = (leave?.['properties'] ?? {}) as Record<string, unknown>;
  const types = Object.fromEntries(
    ['url', 'path', 'engagedMs', 'durationMs'].map((k) => [k, typeof props[k]]),
  );
  expect(types).toEqual({
    url: 'string',
    path: 'string',
    engagedMs: 'number',
    durationMs: 'number',
  });
  expect(props['engagedMs']).toBeGreaterThanOrEqual(0);
  expect(props['engagedMs']).toBeLessThanOrEqual(Number(props['durationMs']));
}
