import type { DropReason } from './drops.js';

/** An event on its way through the client, before serialisation. */
export type OutgoingEvent = Record<string, unknown> & { type: string; messageId: string };

/**
 * A named plugin. Stages run in order for every event: all plugins' `enrich`, then all
 * `filter`, then the core queues the event, then every `deliver` sees the final event (an extra
 * destination, a debug view). `enrich` and `filter` return the event, or null to drop it.
 */
export interface Plugin {
  name: string;
  enrich?(event: OutgoingEvent): OutgoingEvent | null;
  filter?(event: OutgoingEvent): OutgoingEvent | null;
  deliver?(event: OutgoingEvent): void;
}

/** The pipeline's verdict on one event. */
export type PipelineResult =
  { ok: true; event: OutgoingEvent } | { ok: false; reason: DropReason; detail: string };

/** Runs `enrich` and `filter`; a plugin that throws drops the event, it never escapes. */
export function runPipeline(plugins: readonly Plugin[], event: OutgoingEvent): PipelineResult {
  let current = event;
  for (const stage of ['enrich', 'filter'] as const) {
    for (const plugin of plugins) {
      try {
        const next = plugin[stage]?.(current);
        if (next === null) return { ok: false, reason: 'filtered', detail: plugin.name };
        // A stage that returns nothing (or is absent) leaves the event as it was.
        if (next !== undefined) current = next;
      } catch (error) {
        return { ok: false, reason: 'plugin_error', detail: `${plugin.name}: ${String(error)}` };
      }
    }
  }
  return { ok: true, event: current };
}

/** Hands the final event to every `deliver`; failures are reported, never thrown. */
export function runDeliver(
  plugins: readonly Plugin[],
  event: OutgoingEvent,
  report: (message: string) => void,
): void {
  for (const plugin of plugins) {
    try {
      plugin.deliver?.(event);
    } catch (error) {
      report(`plugin ${plugin.name} failed in deliver: ${String(error)}`);
    }
  }
}
