// Boots the built SDK inside the mini-program harness, against a real collector.
import { afterAll, beforeAll } from 'vitest';
import type { Spoor } from '../src/index.js';
import {
  startMiniProgram,
  startMiniProgramCollector,
  type MiniProgram,
  type MiniProgramCollector,
  type MiniProgramOptions as HarnessOptions,
} from './harness/index.js';

/** What the bundle exports. */
export interface Bundle {
  createSpoor(options: unknown): Spoor;
}

export const PAGES = ['pages/index/index', 'pages/item/item', 'pages/cart/cart'];

/** A mini-program whose app.js starts Spoor (the built bundle) and registers `App`. */
export function bootSpoor(
  collector: MiniProgramCollector,
  options: {
    spoor?: Record<string, unknown>;
    /** app.js before Spoor is loaded (another SDK patching globals, say). */
    before?: string;
    /** app.js after `createSpoor` (which it sees as the global `spoor`); default `App({})`. */
    app?: string;
    harness?: HarnessOptions;
  } = {},
): { mp: MiniProgram; spoor: Spoor; sdk: Bundle } {
  const mp = startMiniProgram({ pages: PAGES, ...options.harness });
  if (options.before) mp.run(options.before, 'vendor.js');
  const sdk = mp.loadBundle() as Bundle;
  const spoor = sdk.createSpoor({
    writeKey: collector.writeKey,
    host: collector.url,
    flushInterval: 100,
    backoff: { baseMs: 50, maxMs: 200 },
    ...options.spoor,
  });
  mp.context['spoor'] = spoor;
  mp.run(options.app ?? 'App({})', 'app.js');
  return { mp, spoor, sdk };
}

/** Stored track events named `name`. */
export const named = (name: string) => (event: Record<string, unknown>) => event['event'] === name;

/** An event's properties. */
export const props = (event: Record<string, unknown> | undefined) =>
  (event?.['properties'] ?? {}) as Record<string, unknown>;

/**
 * Resolves once the client has loaded its stored state and WeChat has answered its first
 * network query (requests wait for that answer: the network might be down).
 */
export async function started(spoor: Spoor): Promise<void> {
  await spoor.ready;
  await new Promise((resolve) => setTimeout(resolve, 20));
}

/** A real collector for the test file: started before its tests, closed after them. */
export function useCollector(): () => MiniProgramCollector {
  let collector: MiniProgramCollector | undefined;
  beforeAll(async () => {
    collector = await startMiniProgramCollector();
  });
  afterAll(() => collector?.close());
  return () => {
    if (!collector) throw new Error('the collector is not started yet');
    return collector;
  };
}

/** Stored events named `name` of one anonymous ID (test files share their collector). */
export const mine = (anonymousId: string, name: string) => (event: Record<string, unknown>) =>
  event['anonymousId'] === anonymousId && named(name)(event);
