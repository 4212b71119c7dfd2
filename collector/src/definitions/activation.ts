import { createHmac } from 'node:crypto';
import { UNIT_MS, type Destination } from '@spoor/schemas';
import type { FastifyBaseLogger } from 'fastify';
import { Waker } from '../outbox/waker.js';
import type { ActivationOutcome, EngineChange, EventStore } from '../store/types.js';
import { parseJson } from './engine-events.js';

type Change = EngineChange & { seq: number; profileId: number };

const BATCH = 200;
const IDLE_MS = 1000;
const TIMEOUT_MS = 10_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 60_000;

/**
 * Delivers the engine's changes (segments entered and exited, tags changed) to destinations:
 * one loop per destination, reading the changes in order from its own cursor, so a slow or
 * failing receiver holds back only itself. A batch is signed (HMAC-SHA256 of
 * `${t}.${body}` in `spoor-signature: t=…,v1=…`) and carries an `idempotency-key` naming its
 * change ids; it is retried with backoff until answered 2xx, and the cursor moves only then:
 * at least once. Frequency caps are counted from what was delivered, so a retry decides the
 * same way. A new destination starts with the changes made after it.
 */
export class Activation {
  private _loops: { abort: AbortController; done: Promise<void> }[] = [];
  private readonly _waker = new Waker();

  constructor(
    private readonly _store: EventStore,
    private readonly _now: () => number,
    private readonly _log: FastifyBaseLogger,
  ) {}

  /** (Re)starts one loop per stored destination. */
  async reload(): Promise<void> {
    await this.stop();
    for (const record of await this._store.listDefinitions('destination')) {
      const destination = parseJson<Destination | null>(record.body, null);
      if (!destination) continue;
      const abort = new AbortController();
      const done = this._run(record.key, destination, abort.signal);
      this._loops.push({ abort, done });
    }
  }

  /** New changes were written. */
  wake(): void {
    this._waker.wake();
  }

  async stop(): Promise<void> {
    const loops = this._loops.splice(0);
    for (const loop of loops) loop.abort.abort();
    this.wake();
    await Promise.allSettled(loops.map((l) => l.done));
  }

  private async _run(key: string, destination: Destination, signal: AbortSignal): Promise<void> {
    const name = `destination:${key}`;
    let cursor = await this._store.getCursor(name);
    if (cursor === 0) {
      cursor = await this._store.lastChange();
      await this._store.setCursor(name, cursor);
    }
    let failures = 0;
    // A batch that failed is retried as it was (same changes, same idempotency key), not
    // re-read with whatever came since.
    let batch: Change[] | null = null;
    while (!signal.aborted) {
      try {
        batch ??= await this._store.readChanges(cursor, BATCH);
        if (batch.length === 0) {
          batch = null;
          await this._waker.sleep(IDLE_MS, signal);
          continue;
        }
        await this._deliver(key, destination, batch, signal);
        cursor = (batch[batch.length - 1] as Change).seq;
        await this._store.setCursor(name, cursor);
        batch = null;
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        failures++;
        const delay = Math.random() * Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** failures);
        this._log.warn({ destination: key, err: error }, 'destination delivery failed');
        await this._waker.sleep(delay, signal, false);
      }
    }
  }

  private async _deliver(
    key: string,
    destination: Destination,
    changes: Change[],
    signal: AbortSignal,
  ): Promise<void> {
    const kinds = destination.changes ?? ['segment_entered', 'segment_exited'];
    const wanted = changes.filter(
      (c) =>
        kinds.includes(c.kind) &&
        (!destination.segments || c.kind === 'tag_changed' || destination.segments.includes(c.key)),
    );
    const now = this._now();
    const outcomes: { profileId: number; key: string; outcome: ActivationOutcome; at: number }[] =
      [];
    const send: Change[] = [];
    const cap = destination.frequencyCap;
    const sent = cap
      ? await this._store.deliveredSince(
          key,
          [...new Set(wanted.map((c) => c.profileId))],
          now - cap.per.last * UNIT_MS[cap.per.unit],
        )
      : new Map<number, number>();
    for (const change of wanted) {
      const count = sent.get(change.profileId) ?? 0;
      if (cap && count >= cap.max) {
        outcomes.push({ profileId: change.profileId, key: change.key, outcome: 'capped', at: now });
        continue;
      }
      sent.set(change.profileId, count + 1);
      send.push(change);
      outcomes.push({
        profileId: change.profileId,
        key: change.key,
        outcome: 'delivered',
        at: now,
      });
    }
    if (send.length > 0) {
      try {
        await this._post(key, destination, send, signal);
      } catch (error) {
        await this._store.recordActivation(
          key,
          send.map((c) => ({ profileId: c.profileId, key: c.key, outcome: 'failed', at: now })),
        );
        throw error;
      }
    }
    await this._store.recordActivation(key, outcomes);
  }

  private async _post(
    key: string,
    destination: Destination,
    changes: Change[],
    signal: AbortSignal,
  ): Promise<void> {
    const body = JSON.stringify({
      destination: key,
      changes: changes.map((c) => ({
        id: c.seq,
        profileId: c.profileId,
        kind: c.kind,
        key: c.key,
        at: new Date(c.at).toISOString(),
        ...parseJson<Record<string, unknown>>(c.detail, {}),
      })),
    });
    const t = Math.floor(this._now() / 1000);
    const signature = createHmac('sha256', destination.secret).update(`${t}.${body}`).digest('hex');
    const first = (changes[0] as Change).seq;
    const last = (changes[changes.length - 1] as Change).seq;
    const response = await fetch(destination.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'spoor-collector',
        'idempotency-key': `${key}:${first}-${last}`,
        'spoor-signature': `t=${t},v1=${signature}`,
      },
      body,
      signal: AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`${destination.url} answered ${response.status}`);
  }
}
