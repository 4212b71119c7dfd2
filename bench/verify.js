// The check both benchmarks make after a run: the closed database against what was acknowledged.

/**
 * What disagrees between the events stored and those acknowledged: the server's count of
 * accepted events must match exactly; the clients saw at most that many (autocannon drops
 * requests still in flight when a run ends, which the server stores and acknowledges).
 * `stored` and `distinct` count the stored events and their message ids; `storeProblems`, the
 * caller's own findings about the stored rows, are listed after the message-id check.
 */
export function ackProblems({ stored, distinct, acked, runs, batchSize }, storeProblems = []) {
  const clientEvents = runs.reduce((n, r) => n + r.fullyAccepted * batchSize, 0);
  const partial = runs.reduce((n, r) => n + r.partiallyAccepted, 0);
  const problems = [];
  if (stored !== acked.events) problems.push(`${stored} stored but ${acked.events} acknowledged`);
  if (stored !== acked.requests * batchSize)
    problems.push(`${acked.requests} requests answered 200 but ${stored} events stored`);
  if (distinct !== stored) problems.push(`${distinct} distinct message ids for ${stored} events`);
  problems.push(...storeProblems);
  if (acked.duplicates > 0) problems.push(`${acked.duplicates} events were taken for duplicates`);
  if (partial > 0) problems.push(`${partial} answers with 200 did not store their whole batch`);
  if (clientEvents > stored)
    problems.push(`clients saw ${clientEvents} accepted, ${stored} stored`);
  return problems;
}

/** The verification recorded in the results: passed or not, why, and the counts compared. */
export function verificationResult(problems, stored, acked) {
  return {
    ok: problems.length === 0,
    problems,
    stored,
    serverAckedEvents: acked.events,
    serverStatuses: acked.statuses,
  };
}
