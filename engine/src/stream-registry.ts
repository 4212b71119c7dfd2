// Collects, while definitions compile, the streams (distinct event matches) they read and what
// each needs kept: which property aggregates at which bucket granularity for how long, and how far
// back occurrence times reach. The state keeps exactly that and no more.
import { UNIT_MS, type EventMatch, type Window } from '@spoor/schemas';
import { noNeeds, type Needs } from './accumulator.js';
import type { StreamPlan } from './compiled.js';
import { splitPath } from './fields.js';
import { canonicalMatch, hashKey } from './stream-key.js';

/** The registry the compiler feeds. */
export interface StreamRegistry {
  /** The key of `match`'s stream, registering it on first sight. */
  stream(match: EventMatch): string;
  /** Keeps aggregates of `property` (or of the events themselves) over `window`; its feed id. */
  feed(stream: string, property: string | undefined, window: Window, needs: Partial<Needs>): string;
  /** Keeps the stream's occurrence times as far back as `window` reaches. */
  times(stream: string, window: Window): void;
  /** Everything registered. */
  plans(): Map<string, StreamPlan>;
}

/** An empty registry. */
export function createStreamRegistry(): StreamRegistry {
  const plans = new Map<string, StreamPlan>();
  const keyOf = new Map<string, string>();
  const plan = (key: string): StreamPlan => {
    const found = plans.get(key);
    if (!found) throw new Error(`bug: stream ${key} used before it was registered`);
    return found;
  };
  return {
    stream(match) {
      const canonical = canonicalMatch(match);
      const known = keyOf.get(canonical);
      if (known !== undefined) return known;
      let key = hashKey(canonical);
      // A collision of 53-bit hashes is all but impossible; should one happen, stay correct.
      for (let n = 1; plans.has(key); n++) key = `${hashKey(canonical)}.${n}`;
      keyOf.set(canonical, key);
      const filters = (match.where ?? []).map((filter) => ({
        path: splitPath(filter.property),
        comparison: filter,
      }));
      plans.set(key, { key, match, canonical, filters, feeds: new Map(), timesSpan: 0 });
      return key;
    },
    feed(stream, property, window, needs) {
      const id = property ?? '';
      const feeds = plan(stream).feeds;
      const feed = feeds.get(id) ?? {
        path: property === undefined ? [] : splitPath(property),
        units: {},
        all: false,
        needs: noNeeds(),
      };
      feeds.set(id, feed);
      if (window === 'all') feed.all = true;
      else feed.units[window.unit] = Math.max(feed.units[window.unit] ?? 0, window.last);
      for (const [need, wanted] of Object.entries(needs) as [keyof Needs, boolean][]) {
        if (wanted) feed.needs[need] = true;
      }
      return id;
    },
    times(stream, window) {
      const span = window === 'all' ? Infinity : window.last * UNIT_MS[window.unit];
      const target = plan(stream);
      target.timesSpan = Math.max(target.timesSpan, span);
    },
    plans: () => plans,
  };
}
