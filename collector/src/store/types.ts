import type { PackedRows } from './row-codec.js';

/**
 * The storage port. Every method is asynchronous so that a server database can implement it;
 * the embedded implementation runs SQLite in a worker thread.
 */
export interface EventStore {
  /** Atomically deduplicates and stores rows and records rejections; resolves once durable. */
  commit(batch: CommitBatch): Promise<CommitResult>;
  /** Stored events, newest first. */
  listEvents(query: EventQuery): Promise<StoredEvent[]>;
  /** Recently rejected events, newest first. */
  listRejections(query: RejectionQuery): Promise<StoredRejection[]>;
  /** Events with `seq > after`, oldest first: the outbox a sink reads. */
  readOutbox(after: number, limit: number): Promise<StoredEvent[]>;
  /** The persisted outbox cursor of a sink (0 when it has none). */
  getCursor(sink: string): Promise<number>;
  /** Moves a sink's cursor forward; never backward. */
  setCursor(sink: string, seq: number): Promise<void>;
  /** The highest seq stored so far. */
  lastSeq(): Promise<number>;
  /** Forgets dedupe keys first seen before `before` (epoch ms); returns how many. */
  pruneDedupe(before: number): Promise<number>;
  /** Finishes queued work and closes the database. */
  close(): Promise<void>;
  /** True once the store has failed for good (e.g. its thread died): restart the process. */
  readonly broken: boolean;
}

/** One accepted event, ready to store. */
export interface EventRow {
  source: string;
  messageId: string;
  /** Fingerprint of the event as sent, for telling a retry from a conflicting reuse of its id. */
  fingerprint: string;
  type: string;
  /** The track event name, or the page/screen name. */
  name: string | null;
  anonymousId: string | null;
  userId: string | null;
  /** Corrected event time, epoch ms. */
  timestamp: number;
  receivedAt: number;
  /** The enriched event as JSON text, or as its UTF-8 bytes. */
  payload: string | Uint8Array;
}

/** An event the collector refused, kept for debugging integrations. */
export interface RejectionRow {
  source: string | null;
  receivedAt: number;
  messageId: string | null;
  /** JSON array of issues. */
  errors: string;
  /** The rejected input, cut to a bounded length. */
  payload: string;
}

/** What one commit writes: rows packed for transport (see row-codec.ts), and rejections. */
export interface CommitBatch {
  rows: PackedRows;
  rejections: RejectionRow[];
}

/** A commit's rows unpacked: what the SQLite core writes. */
export interface RowBatch {
  rows: EventRow[];
  rejections: RejectionRow[];
}

/** Per row: stored, duplicate of a stored event, or duplicate id with a different payload. */
export const OUTCOME = { stored: 0, duplicate: 1, conflict: 2 } as const;
/** One of {@link OUTCOME}. */
export type Outcome = (typeof OUTCOME)[keyof typeof OUTCOME];

/** The result of a commit: one outcome per row, in order. */
export interface CommitResult {
  outcomes: Outcome[];
  /** The highest seq stored so far, after this commit. */
  lastSeq: number;
}

/** An event as stored. */
export interface StoredEvent {
  seq: number;
  source: string;
  receivedAt: number;
  /** The enriched event as JSON text. */
  payload: string;
}

/** A stored rejection. */
export interface StoredRejection extends RejectionRow {
  id: number;
}

/** Filters for {@link EventStore.listEvents}. */
export interface EventQuery {
  /** Only events with `seq < before` (the cursor). */
  before?: number;
  limit: number;
  type?: string;
  name?: string;
  source?: string;
}

/** Filters for {@link EventStore.listRejections}. */
export interface RejectionQuery {
  before?: number;
  limit: number;
  source?: string;
}
