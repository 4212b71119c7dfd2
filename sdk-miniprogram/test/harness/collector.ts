import { setTimeout as sleep } from 'node:timers/promises';
import { startCollector, storedEvents, type TestCollector } from '../../../collector/test/kit.js';

/** The write key the mini-program collector admits. */
export const MINIPROGRAM_WRITE_KEY = 'wk_miniprogram_test';

/** A real collector on 127.0.0.1 with a throwaway SQLite data directory. */
export interface MiniProgramCollector {
  /** Base URL, e.g. http://127.0.0.1:41234 (what the SDK's `host` should be). */
  url: string;
  writeKey: string;
  /** The underlying test collector (Fastify app, admin token, data dir). */
  collector: TestCollector;
  /** Every stored event's payload, oldest first. */
  events(): Promise<Record<string, unknown>[]>;
  /** Every stored row (seq, source, event), oldest first. */
  stored(): Promise<{ seq: number; source: string; event: Record<string, unknown> }[]>;
  /** Recent rejections (why events were refused), newest first. */
  rejections(): Promise<Record<string, unknown>[]>;
  /**
   * Polls until `pick` selects at least `count` stored events and returns them; on timeout,
   * throws naming `what` and listing what was stored.
   */
  waitFor(
    what: string,
    pick: (event: Record<string, unknown>) => boolean,
    count?: number,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/**
 * Starts a collector that admits {@link MINIPROGRAM_WRITE_KEY} from any sender without an
 * Origin header, as wx.request sends none (a request with one is refused, which catches an
 * SDK that leaks browser behaviour).
 */
export async function startMiniProgramCollector(): Promise<MiniProgramCollector> {
  const collector = await startCollector({
    listen: true,
    // The machine has two cores shared with the test runner.
    ingestThreads: 1,
    writeKeys: [{ key: MINIPROGRAM_WRITE_KEY, source: 'miniprogram', origins: [] }],
  });
  const events = async () => (await storedEvents(collector)).map((row) => row.event);
  return {
    url: collector.url,
    writeKey: MINIPROGRAM_WRITE_KEY,
    collector,
    events,
    stored: () => storedEvents(collector),
    async rejections() {
      const res = await collector.app.inject({
        url: '/v1/rejections?limit=1000',
        headers: { authorization: collector.bearer },
      });
      return res.json<{ data: Record<string, unknown>[] }>().data;
    },
    async waitFor(what, pick, count = 1, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      let seen: Record<string, unknown>[] = [];
      while (Date.now() <= deadline) {
        seen = await events();
        const found = seen.filter(pick);
        if (found.length >= count) return found;
        await sleep(50);
      }
      const names = seen.map((e) => String(e['event'] ?? e['type']));
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; stored: [${names.join(', ')}]`,
      );
    },
    close: () => collector.close(),
  };
}

export { until } from '../../../collector/test/kit.js';
