import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PRUNE_CHUNK, SqliteCore } from './sqlite-core.js';
import { OUTCOME, type EventRow } from './types.js';

let dir: string;
let core: SqliteCore;
const open = () =>
  new SqliteCore({ file: join(dir, 'spoor.db'), sync: 'normal', maxRejections: 3, identity: null });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'spoor-core-'));
  core = open();
});
afterEach(() => {
  core.close();
  rmSync(dir, { recursive: true, force: true });
});

function row(messageId: string, receivedAt = 1000, fingerprint = 'fp'): EventRow {
  return {
    source: 'web',
    messageId,
    fingerprint,
    type: 'track',
    name: 'X',
    anonymousId: 'a',
    userId: null,
    timestamp: receivedAt,
    receivedAt,
    payload: `{"messageId":"${messageId}"}`,
    identifiers: null,
    channel: 'web',
    ops: null,
    purchase: false,
  };
}

describe('SqliteCore', () => {
  it('rolls back the dedupe window with a failed transaction', () => {
    const bad = { ...row('b'), type: null as unknown as string }; // violates NOT NULL: the commit fails
    expect(() => core.commit({ rows: [row('a'), bad], rejections: [] })).toThrow();
    expect(core.commit({ rows: [row('a')], rejections: [] }).outcomes).toEqual([OUTCOME.stored]);
  });

  it('stores each (source, messageId) once and tells duplicates from conflicts', () => {
    const first = core.commit({ rows: [row('a'), row('b'), row('a')], rejections: [] });
    expect(first.outcomes).toEqual([OUTCOME.stored, OUTCOME.stored, OUTCOME.duplicate]);
    const again = core.commit({ rows: [row('a'), row('b', 1000, 'other')], rejections: [] });
    expect(again.outcomes).toEqual([OUTCOME.duplicate, OUTCOME.conflict]);
    expect(core.readOutbox(0, 10).map((e) => e.payload)).toEqual([
      '{"messageId":"a"}',
      '{"messageId":"b"}',
    ]);
  });

  it('keys dedupe by source as well as messageId', () => {
    const other = { ...row('a'), source: 'server' };
    expect(core.commit({ rows: [row('a'), other], rejections: [] }).outcomes).toEqual([
      OUTCOME.stored,
      OUTCOME.stored,
    ]);
  });

  it('prunes only expired dedupe keys, oldest first, in bounded chunks', () => {
    const old = Array.from({ length: PRUNE_CHUNK + 10 }, (_, i) => row(`old-${i}`, 1000));
    core.commit({ rows: [...old, row('new', 5000)], rejections: [] });
    expect(core.pruneDedupe(2000)).toBe(PRUNE_CHUNK);
    expect(core.pruneDedupe(2000)).toBe(10);
    expect(core.pruneDedupe(2000)).toBe(0);
    // An expired key is forgotten (stored again), a live one still deduplicates; events stay.
    expect(
      core.commit({ rows: [row('old-0', 6000), row('new', 6000)], rejections: [] }).outcomes,
    ).toEqual([OUTCOME.stored, OUTCOME.duplicate]);
    expect(core.lastSeq()).toBe(PRUNE_CHUNK + 12);
  });

  it('moves sink cursors forward only', () => {
    expect(core.getCursor('s')).toBe(0);
    core.setCursor('s', 10);
    core.setCursor('s', 4);
    expect(core.getCursor('s')).toBe(10);
  });

  it('keeps only the most recent rejections', () => {
    const rejection = (i: number) => ({
      source: 'web',
      receivedAt: i,
      messageId: `r${i}`,
      errors: '[]',
      payload: '{}',
    });
    core.commit({ rows: [], rejections: [1, 2, 3, 4, 5].map(rejection) });
    expect(core.listRejections({ limit: 10 }).map((r) => r.messageId)).toEqual(['r5', 'r4', 'r3']);
  });

  it('filters and pages events newest first', () => {
    core.commit({
      rows: [
        row('a'),
        { ...row('b'), type: 'page', name: 'Home' },
        { ...row('c'), source: 'server' },
      ],
      rejections: [],
    });
    expect(core.listEvents({ limit: 2 }).map((e) => e.seq)).toEqual([3, 2]);
    expect(core.listEvents({ limit: 2, before: 2 }).map((e) => e.seq)).toEqual([1]);
    expect(core.listEvents({ limit: 10, type: 'page' }).map((e) => e.seq)).toEqual([2]);
    expect(core.listEvents({ limit: 10, name: 'X', source: 'server' }).map((e) => e.seq)).toEqual([
      3,
    ]);
  });

  it('keeps data across reopening and refuses a database from a newer version', () => {
    core.commit({ rows: [row('a')], rejections: [] });
    core.close();
    core = open();
    expect(core.lastSeq()).toBe(1);
    // The dedupe window is rebuilt from the database.
    expect(
      core.commit({ rows: [row('a'), row('a', 1000, 'other')], rejections: [] }).outcomes,
    ).toEqual([OUTCOME.duplicate, OUTCOME.conflict]);
    core.close();
    const db = new Database(join(dir, 'spoor.db'));
    db.pragma('user_version = 99');
    db.close();
    expect(open).toThrow(/newer Spoor/);
  });
});
