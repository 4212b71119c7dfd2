import Database from 'better-sqlite3';
import { VISITOR_BATCH } from './identity-traffic.js';
import { ackProblems, verificationResult } from './verify.js';

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
  const problems = ackProblems({ stored, distinct, acked, runs, batchSize: VISITOR_BATCH });
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
    ...verificationResult(problems, stored, acked),
    resolved,
    profilesCreated: created,
    merged,
  };
}
