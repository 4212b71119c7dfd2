import Database from 'better-sqlite3';
import { VISITOR_BATCH } from './identity-traffic.js';

/**
 * Reads the closed copy read-only and checks it against what the collector acknowledged: every
 * acknowledged event stored once, none stored unacknowledged. With identity on, every event
 * points at an identifier (a user's events at the user id), and the profiles add up: each new
 * visitor's anonymous id is a new profile unless an identify merged it into a seeded user's.
 * With identity off, nothing of the graph changed.
 */
export function verifyRun(file, mode, seeded, acked, runs, metrics) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const count = (sql, ...params) =>
    db
      .prepare(sql)
      .pluck()
      .get(...params);
  const stored = count('SELECT count(*) FROM events');
  const distinct = count('SELECT count(DISTINCT message_id) FROM events');
  const resolved = count('SELECT count(*) FROM events WHERE identifier_id IS NOT NULL');
  const misattributed = count(
    "SELECT count(*) FROM events e JOIN identifiers i ON i.id = e.identifier_id WHERE e.user_id IS NOT NULL AND i.type <> 'user_id'",
  );
  const created = count('SELECT count(*) FROM profiles') - seeded.profiles;
  // Identifiers the seed did not write: the new visitors' anonymous ids (ids are sequential).
  const fresh = count('SELECT count(*) FROM identifiers WHERE id > ?', seeded.identifiers);
  const merged = count(
    "SELECT count(*) FROM identifiers a WHERE a.id > ? AND EXISTS (SELECT 1 FROM identifiers u WHERE u.profile_id = a.profile_id AND u.type = 'user_id')",
    seeded.identifiers,
  );
  const merges = count('SELECT sum(merges) FROM profiles') - seeded.links;
  db.close();
  const clientEvents = runs.reduce((n, r) => n + r.fullyAccepted * VISITOR_BATCH, 0);
  const partial = runs.reduce((n, r) => n + r.partiallyAccepted, 0);
  const problems = [];
  if (stored !== acked.events) problems.push(`${stored} stored but ${acked.events} acknowledged`);
  if (stored !== acked.requests * VISITOR_BATCH)
    problems.push(`${acked.requests} requests answered 200 but ${stored} events stored`);
  if (distinct !== stored) problems.push(`${distinct} distinct message ids for ${stored} events`);
  if (acked.duplicates > 0) problems.push(`${acked.duplicates} events were taken for duplicates`);
  if (partial > 0) problems.push(`${partial} answers with 200 did not store their whole batch`);
  if (clientEvents > stored)
    problems.push(`clients saw ${clientEvents} accepted, ${stored} stored`);
  if (metrics.rejected > 0) problems.push(`${metrics.rejected} events rejected`);
  if (mode === 'on') {
    if (resolved !== stored)
      problems.push(`${stored - resolved} of ${stored} events have no identifier_id`);
    if (misattributed > 0) problems.push(`${misattributed} events of users not at their user id`);
    if (merged === 0 || merges !== merged)
      problems.push(`${merged} new anonymous ids merged into users, ${merges} merges counted`);
    if (created !== fresh - merged)
      problems.push(`${created} profiles created for ${fresh - merged} unmerged new visitors`);
  } else if (resolved + created + fresh !== 0) {
    problems.push(`identity off: ${resolved} events resolved, ${fresh} identifiers created`);
  }
  return {
    ok: problems.length === 0,
    problems,
    stored,
    serverAckedEvents: acked.events,
    serverStatuses: acked.statuses,
    resolved,
    profilesCreated: created,
    merged,
  };
}
