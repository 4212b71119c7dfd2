import {
  applyEvent,
  compile,
  diff,
  emptyState,
  evaluate,
  type Change,
  type Compiled,
  type Evaluation,
  type ProfileState,
  type Results,
} from '@spoor/engine';
import type { FastifyBaseLogger } from 'fastify';
import { renderTraits, type TraitState } from '../identity/traits.js';
import type { Sink } from '../outbox/sink.js';
import type { EngineChange, EventStore, StoredEvent } from '../store/types.js';
import { storedDefinitionSet } from './check.js';
import { engineEvent, parseJson } from './engine-events.js';

/**
 * What the collector keeps per profile for the engine: the engine's state, the highest event
 * seq folded into it (an event at or below it is never counted twice, whether the live sink or a
 * backfill sees it first), and imported tag values.
 */
interface Kept {
  state: ProfileState;
  seq: number;
  imported: Record<string, unknown>;
  /** The profile's merges and identifier count when the state was built (see `identity`). */
  identity?: string;
}

/** Profiles per scheduler round and per backfill page. */
const PAGE = 500;

/** How far a backfill has come. */
export interface BackfillProgress {
  running: boolean;
  /** Profiles rebuilt so far in the current (or last) run. */
  done: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** The definitions version being backfilled. */
  version: number;
}

/**
 * The tag and segment engine inside the collector. As an outbox sink it sees every committed,
 * identity-resolved event once and in order (its cursor moves only after its writes are
 * durable); a scheduler re-evaluates what time alone changes; a backfill rebuilds every
 * profile from its history when the definitions change. All three run one at a time.
 */
export class EngineSink implements Sink {
  readonly name = 'engine';
  readonly batchSize = PAGE;
  private _compiled: Compiled | null = null;
  private _version = 0;
  private _turn: Promise<unknown> = Promise.resolve();
  private _progress: BackfillProgress = {
    running: false,
    done: 0,
    startedAt: null,
    finishedAt: null,
    version: 0,
  };

  constructor(
    private readonly _store: EventStore,
    private readonly _now: () => number,
    private readonly _log: FastifyBaseLogger,
    private readonly _dayOffsetMinutes = 0,
    /** Called after changes were written (activation delivers them). */
    private readonly _changed: () => void = () => {},
  ) {}

  get progress(): BackfillProgress {
    return { ...this._progress };
  }

  /** Compiles the stored definitions (at start, and after every change: then backfills). */
  async reload(backfill: boolean): Promise<void> {
    const result = compile(await storedDefinitionSet(this._store), {
      dayOffsetMinutes: this._dayOffsetMinutes,
    });
    if (!result.ok) {
      // The API and the file loader refuse such sets: this is a database edited by hand.
      this._log.error({ errors: result.errors }, 'stored definitions do not compile; engine idle');
      this._compiled = null;
      return;
    }
    // With no definitions the engine does nothing at all; adding one backfills what it missed.
    this._compiled =
      result.compiled.tags.size + result.compiled.segments.size > 0 ? result.compiled : null;
    this._version++;
    if (backfill && this._compiled) void this._backfill(this._version);
  }

  deliver(events: StoredEvent[]): Promise<void> {
    return this._serially(async (compiled) => {
      const byProfile = new Map<number, StoredEvent[]>();
      for (const e of events) {
        if (typeof e.profileId !== 'number') continue;
        const list = byProfile.get(e.profileId);
        if (list) list.push(e);
        else byProfile.set(e.profileId, [e]);
      }
      await this._evaluate(compiled, [...byProfile.keys()], byProfile, false);
    });
  }

  /** One scheduler round: the profiles whose results time may have changed. Returns how many. */
  tick(): Promise<number> {
    return this._serially(async (compiled) => {
      const due = await this._store.engineDue(this._now(), PAGE);
      await this._evaluate(compiled, due, new Map(), false);
      return due.length;
    }, 0);
  }

  /**
   * Sets (or with `undefined`, clears) an imported tag's value on a profile, as a CRM or a
   * model would, and re-evaluates it. False when no imported tag has this key.
   */
  setImported(profileId: number, key: string, value: unknown): Promise<boolean> {
    return this._serially(async (compiled) => {
      const plan = compiled.tags.get(key);
      if (plan?.k !== 'imported') return false;
      await this._evaluate(compiled, [profileId], new Map(), false, (imported) => {
        if (value === undefined) delete imported[key];
        else imported[key] = value;
      });
      return true;
    }, false);
  }

  /** Resolves once the running backfill (if any) is done. */
  async idle(): Promise<void> {
    while (this._progress.running) await this._turn;
  }

  private async _backfill(version: number): Promise<void> {
    const progress: BackfillProgress = {
      running: true,
      done: 0,
      startedAt: this._now(),
      finishedAt: null,
      version,
    };
    this._progress = progress;
    let after = 0;
    try {
      for (;;) {
        // A newer version restarts from the first profile: this run's pages are outdated.
        if (version !== this._version) return;
        const ids = await this._store.profileIds(after, PAGE);
        if (ids.length === 0) break;
        await this._serially(async (compiled) => {
          const history = await this._store.engineHistory(ids);
          const byProfile = new Map<number, StoredEvent[]>(ids.map((id) => [id, []]));
          for (const e of history) byProfile.get(e.profileId as number)?.push(e);
          await this._evaluate(compiled, ids, byProfile, true);
        });
        after = ids[ids.length - 1] as number;
        progress.done += ids.length;
      }
      progress.finishedAt = this._now();
    } catch (error) {
      this._log.error({ err: error }, 'engine backfill failed');
    } finally {
      progress.running = false;
    }
  }

  /** Runs `fn` after whatever engine work is under way; nothing runs without definitions. */
  private _serially<T>(fn: (compiled: Compiled) => Promise<T>, idle?: T): Promise<T> {
    const run = this._turn.then(() => {
      const compiled = this._compiled;
      return compiled ? fn(compiled) : (idle as T);
    });
    this._turn = run.catch(() => undefined);
    return run;
  }

  /**
   * Folds `events` into the profiles' states (from scratch when `rebuild`), evaluates them at
   * now, and writes states, results, memberships and the changes in one transaction.
   */
  private async _evaluate(
    compiled: Compiled,
    profileIds: number[],
    events: Map<number, StoredEvent[]>,
    rebuild: boolean,
    edit?: (imported: Record<string, unknown>) => void,
  ): Promise<void> {
    if (profileIds.length === 0) return;
    const now = this._now();
    const rows = (await this._store.engineLoad(profileIds)).map((row) => ({
      row,
      stored: parseJson<Partial<Kept>>(row.state, {}),
    }));
    // A profile the engine has no state for (new, or made by a merge or an unlink whose other
    // events were folded into profiles that are gone), or one that merged or lost identifiers
    // since its state was built: its events are not all in this batch, so it is rebuilt from
    // its whole history.
    const stale = rows.filter(
      ({ row, stored }) => !rebuild && (row.state === null || stored.identity !== row.identity),
    );
    if (stale.length > 0) {
      const ids = stale.map(({ row }) => row.profileId);
      const history = await this._store.engineHistory(ids);
      for (const id of ids) events.set(id, []);
      for (const e of history) events.get(e.profileId as number)?.push(e);
    }
    const rebuilt = new Set(stale.map(({ row }) => row.profileId));
    const updates = rows.map(({ row, stored }) => {
      const fresh = rebuild || rebuilt.has(row.profileId);
      const kept = keptOf(stored, fresh);
      edit?.(kept.imported);
      let { state, seq } = kept;
      // What the batch's events touched; a trait change or an edit may touch anything.
      let full = fresh || edit !== undefined || events.size === 0;
      const touched = { tags: new Set<string>(), segments: new Set<string>() };
      // A rebuild folds the whole history, in time order; live batches come in seq order and
      // skip what an earlier rebuild already folded.
      for (const e of events.get(row.profileId) ?? []) {
        if (!fresh && e.seq <= seq) continue;
        const event = engineEvent(e);
        const applied = applyEvent(compiled, state, event);
        state = applied.state;
        seq = Math.max(seq, e.seq);
        if (event.traits) full = true;
        for (const key of applied.affected.tags) touched.tags.add(key);
        for (const key of applied.affected.segments) touched.segments.add(key);
      }
      const traits = renderTraits(parseJson<TraitState>(row.traits, {}));
      const before = parseJson<Evaluation | null>(row.results, null);
      const profile = { traits, imported: kept.imported };
      const after =
        full || !before
          ? evaluate(compiled, state, profile, now)
          : merged(
              before,
              evaluate(compiled, state, profile, now, {
                tags: [...touched.tags],
                segments: [...touched.segments],
              }),
            );
      const changes = [
        ...diff(before ?? {}, after),
        ...(full ? closedOut(before ?? {}, after) : []),
      ];
      return {
        profileId: row.profileId,
        state: JSON.stringify({
          state,
          seq,
          imported: kept.imported,
          identity: row.identity,
        } satisfies Kept),
        results: JSON.stringify(after),
        nextAt: after.nextChangeAt,
        changes: changes.map((c): EngineChange => ({
          at: now,
          kind: c.kind,
          key: c.key,
          detail: JSON.stringify({ from: c.from, to: c.to, version: this._version }),
        })),
      };
    });
    await this._store.engineSave(updates);
    if (updates.some((u) => u.changes.length > 0)) this._changed();
  }
}

function keptOf(kept: Partial<Kept>, rebuild: boolean): Kept {
  return {
    state: !rebuild && kept.state ? kept.state : emptyState(),
    seq: !rebuild && typeof kept.seq === 'number' ? kept.seq : 0,
    imported: kept.imported ?? {},
  };
}

/**
 * A partial evaluation laid over the previous full one: the definitions it evaluated replace
 * theirs, and the next change is the earlier of the two (a past one stays due, so the
 * scheduler evaluates the profile in full).
 */
function merged(before: Evaluation, partial: Evaluation): Evaluation {
  const next = [before.nextChangeAt, partial.nextChangeAt].filter((t): t is number => t !== null);
  return {
    tags: { ...before.tags, ...partial.tags },
    segments: { ...before.segments, ...partial.segments },
    nextChangeAt: next.length > 0 ? Math.min(...next) : null,
    approximate: partial.approximate,
  };
}

/** Exits from segments, and tags gone unknown, whose definitions were deleted since `before`. */
function closedOut(before: Results, after: Results): Change[] {
  const gone: Change[] = [];
  for (const [key, was] of Object.entries(before.segments ?? {})) {
    if (was === true && !(key in (after.segments ?? {}))) {
      gone.push({ kind: 'segment_exited', key, from: true, to: 'unknown' });
    }
  }
  for (const [key, was] of Object.entries(before.tags ?? {})) {
    if (was !== null && !(key in (after.tags ?? {}))) {
      gone.push({ kind: 'tag_changed', key, from: was, to: null });
    }
  }
  return gone;
}
