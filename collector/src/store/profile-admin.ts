import type { Identifier } from '../identity/identifiers.js';
import type { IdentityGraph } from './identity-graph.js';
import type { ProfileQueries } from './profile-queries.js';
import type { Statements } from './sql.js';
import type { ErasureReport, Suppression, UnlinkResult } from './types.js';

const suppressionKey = (type: string, value: string) => `${type}\0${value}`;

/** Erasure, unlinking and the suppression list. */
export class ProfileAdmin {
  /** Suppressed identifiers, checked for every event. */
  readonly suppressed = new Set<string>();

  constructor(
    private readonly _sql: Statements,
    private readonly _graph: IdentityGraph,
    private readonly _queries: ProfileQueries,
  ) {
    this.reloadSuppressions();
  }

  /** Reads the suppression list from the database again (after a rollback). */
  reloadSuppressions(): void {
    this.suppressed.clear();
    const rows = this._sql.get('SELECT type, value FROM suppressions').all() as Identifier[];
    for (const r of rows) this.suppressed.add(suppressionKey(r.type, r.value));
  }

  isSuppressed(identifiers: readonly Identifier[]): boolean {
    return (
      this.suppressed.size > 0 &&
      identifiers.some((i) => this.suppressed.has(suppressionKey(i.type, i.value)))
    );
  }

  /**
   * Removes everything the profile holds: its events (and their dedupe keys), identifiers,
   * links, traits and history, then suppresses its identifiers so that events still in flight
   * from its devices are dropped rather than rebuilding it.
   */
  erase(ref: Identifier, now: number): ErasureReport | null {
    const found = this._queries.members(ref);
    if (!found) return null;
    const ids = found.members.map((m) => m.id);
    const seqs = this._sql
      .chunked<{ seq: number }>(ids, (p) => `SELECT seq FROM events WHERE identifier_id IN (${p})`)
      .map((r) => r.seq);
    const run = (make: (p: string) => string, values: readonly number[]) =>
      this._sql.chunkedRun(values, make);
    run((p) => `DELETE FROM dedupe_log WHERE seq IN (${p})`, seqs);
    const events = run((p) => `DELETE FROM events WHERE seq IN (${p})`, seqs);
    const links =
      run((p) => `DELETE FROM identity_links WHERE a IN (${p})`, ids) +
      run((p) => `DELETE FROM identity_links WHERE b IN (${p})`, ids);
    const traits = Object.keys(this._graph.facts.traits(found.profileId)).length;
    const historyEntries = this._sql
      .get('DELETE FROM profile_history WHERE profile_id = ?')
      .run(found.profileId).changes;
    run((p) => `DELETE FROM identifiers WHERE id IN (${p})`, ids);
    // What the engine kept of the profile goes with it; destinations are told it left its
    // segments (remove() records those exits, with nothing but the profile's number).
    for (const table of ['engine_changes', 'activation_log']) {
      this._sql.get(`DELETE FROM ${table} WHERE profile_id = ?`).run(found.profileId);
    }
    this._graph.facts.remove(found.profileId);
    const suppress = this._sql.get(
      "INSERT OR IGNORE INTO suppressions (type, value, created_at, reason) VALUES (?, ?, ?, 'erased')",
    );
    for (const m of found.members) {
      suppress.run(m.type, m.value, now);
      this.suppressed.add(suppressionKey(m.type, m.value));
    }
    this._graph.clearCaches();
    const names = found.members.map((m) => `${m.type}:${m.value}`);
    return {
      profileId: found.profileId,
      events,
      identifiers: names,
      links,
      traits,
      historyEntries,
      suppressed: names,
    };
  }

  /**
   * Takes `target` out of the profile of `ref`: its links to the profile's other identifiers
   * are marked unlinked (kept, with the time, for the history; never followed again) and the
   * affected part of the graph is replayed from the remaining links.
   */
  unlink(ref: Identifier, target: Identifier, now: number): UnlinkResult {
    const found = this._queries.members(ref);
    if (!found) return { ok: false, reason: 'unknown_profile' };
    const member = found.members.find((m) => m.type === target.type && m.value === target.value);
    if (!member) return { ok: false, reason: 'not_in_profile' };
    if (found.members.length === 1) return { ok: false, reason: 'only_identifier' };
    const others = found.members.filter((m) => m.id !== member.id).map((m) => m.id);
    const mark = this._sql.get(
      'UPDATE identity_links SET unlinked_at = ? WHERE unlinked_at IS NULL AND ((a = ? AND b = ?) OR (a = ? AND b = ?))',
    );
    let links = 0;
    for (const other of others) {
      links += mark.run(now, member.id, other, other, member.id).changes;
      this._graph.forgetLink(member.id, other);
      this._graph.forgetLink(other, member.id);
    }
    this._graph.history(found.profileId, 'unlink', { identifier: member.id, links }, now);
    this._graph.recompute([member.id, ...others], now, 'unlinked by an operator');
    const refNode = this._graph.node(ref, now, false);
    return {
      ok: true,
      profileId: refNode ? this._graph.profileOf(refNode.id) : null,
      unlinkedProfileId: this._graph.profileOf(member.id),
      links,
    };
  }

  listSuppressions(): Suppression[] {
    return this._sql
      .get(
        'SELECT type, value, created_at AS createdAt, reason FROM suppressions ORDER BY created_at DESC, type, value',
      )
      .all() as Suppression[];
  }

  lift(ref: Identifier): boolean {
    const { changes } = this._sql
      .get('DELETE FROM suppressions WHERE type = ? AND value = ?')
      .run(ref.type, ref.value);
    this.suppressed.delete(suppressionKey(ref.type, ref.value));
    return changes > 0;
  }
}
