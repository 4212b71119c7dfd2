import type { Identifier } from '../identity/identifiers.js';
import type { IdentityReport } from './identity-graph.js';
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
  /** The 360° view of the profile an identifier belongs to; null if the identifier is unknown. */
  getProfile(ref: Identifier): Promise<ProfileRecord | null>;
  /** A page of the profile's events, newest first; null if the identifier is unknown. */
  profileEvents(
    ref: Identifier,
    before: TimelineCursor | undefined,
    limit: number,
  ): Promise<(StoredEvent & { timestamp: number })[] | null>;
  /** The profile's links with provenance and its merge history. */
  profileHistory(ref: Identifier): Promise<ProfileHistory | null>;
  /** Erases the profile (events, identifiers, traits, history) and suppresses its identifiers. */
  eraseProfile(ref: Identifier): Promise<ErasureReport | null>;
  /** Unlinks `target` from the profile of `ref` and recomputes the affected profiles. */
  unlinkIdentifier(ref: Identifier, target: Identifier): Promise<UnlinkResult>;
  /** Identifiers whose events are dropped. */
  listSuppressions(): Promise<Suppression[]>;
  /** Lifts a suppression; false if there was none. */
  liftSuppression(ref: Identifier): Promise<boolean>;
  /** Current tag or segment definitions (of one kind), deleted ones left out. */
  listDefinitions(kind?: DefinitionKind): Promise<DefinitionRecord[]>;
  /** The current definition, or null. */
  getDefinition(kind: DefinitionKind, key: string): Promise<DefinitionRecord | null>;
  /** Every version of a definition, newest first, deletions (body null) included. */
  definitionVersions(kind: DefinitionKind, key: string): Promise<DefinitionRecord[]>;
  /** Stores a definition (JSON text) as its next version, unless it is current already. */
  putDefinition(
    kind: DefinitionKind,
    key: string,
    body: string,
    at: number,
  ): Promise<DefinitionRecord>;
  /** Records a deletion; false if there was nothing to delete. */
  deleteDefinition(kind: DefinitionKind, key: string, at: number): Promise<boolean>;
  /** The engine's state, results and the traits of these profiles. */
  engineLoad(profileIds: number[]): Promise<EngineProfile[]>;
  /** Writes evaluations: states, results, memberships and changes, in one transaction. */
  engineSave(updates: EngineUpdate[]): Promise<void>;
  /** Profiles whose results time may have changed by `now`. */
  engineDue(now: number, limit: number): Promise<number[]>;
  /** A page of a segment's members, in profile order after `after`. */
  segmentMembers(segment: string, after: number, limit: number): Promise<SegmentMember[]>;
  segmentSize(segment: string): Promise<number>;
  /** A profile's engine changes, newest first. */
  engineChanges(profileId: number, limit: number): Promise<EngineChange[]>;
  /** Profile IDs after `after`, in order. */
  profileIds(after: number, limit: number): Promise<number[]>;
  /** Engine changes after `after` (by id, as `seq`), oldest first: activation's outbox. */
  readChanges(
    after: number,
    limit: number,
  ): Promise<(EngineChange & { seq: number; profileId: number })[]>;
  /** Deliveries to a destination since `since`, per profile (frequency caps). */
  deliveredSince(
    destination: string,
    profileIds: number[],
    since: number,
  ): Promise<Map<number, number>>;
  /** Records what became of a batch of changes at a destination. */
  recordActivation(
    destination: string,
    outcomes: { profileId: number; key: string; outcome: ActivationOutcome; at: number }[],
  ): Promise<void>;
  activationCounts(destination: string): Promise<ActivationCount[]>;
  /** The newest engine change's id (0 when none). */
  lastChange(): Promise<number>;
  /** Every event of these profiles, by profile, in time order. */
  engineHistory(profileIds: number[]): Promise<StoredEvent[]>;
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
  /** The event's identifiers as JSON `[[type, value], …]`, primary first; null without identity. */
  identifiers: string | null;
  /** The channel the event came through (see identity/event-facts.ts). */
  channel: string;
  /** The profile operations of an identify, as JSON; null for other events. */
  ops: string | null;
  /** Whether the event is a purchase (one of the configured purchase event names). */
  purchase: boolean;
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

/**
 * Per row: stored, duplicate of a stored event, duplicate id with a different payload, or
 * dropped because it carries an identifier on the suppression list (an erased person).
 */
export const OUTCOME = { stored: 0, duplicate: 1, conflict: 2, suppressed: 3 } as const;
/** One of {@link OUTCOME}. */
export type Outcome = (typeof OUTCOME)[keyof typeof OUTCOME];

/** The result of a commit: one outcome per row, in order. */
export interface CommitResult {
  outcomes: Outcome[];
  /** The highest seq stored so far, after this commit. */
  lastSeq: number;
  /** What identity resolution did; absent when it is off. */
  identity?: IdentityReport;
}

/** An event as stored. */
export interface StoredEvent {
  seq: number;
  source: string;
  receivedAt: number;
  /** The enriched event as JSON text. */
  payload: string;
  /** The profile the event belongs to now, where the outbox reports it (identity on). */
  profileId?: number | null;
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

/** Where a timeline page starts: the last event of the previous page. */
export interface TimelineCursor {
  timestamp: number;
  seq: number;
}

/** A profile as stored; times are epoch ms. */
export interface ProfileRecord {
  profileId: number;
  identities: { type: string; value: string; createdAt: number }[];
  traits: Record<string, unknown>;
  channels: string[];
  purchased: boolean;
  merges: number;
  createdAt: number;
  /** Event time of the profile's oldest and newest events; null when it has none. */
  firstSeen: number | null;
  lastSeen: number | null;
}

/** A link between two identifiers, as the history shows it. */
export interface LinkView {
  from: string;
  to: string;
  /** `linked` joins the profile; `refused` was not merged by the rules; `unlinked` by an operator. */
  status: 'linked' | 'refused' | 'unlinked';
  messageId: string;
  source: string;
  rule: string;
  timestamp: number;
  recordedAt: number;
  unlinkedAt: number | null;
}

/** A merge, refusal, recompute or unlink recorded on a profile. */
export interface HistoryEntry {
  at: number;
  kind: string;
  detail: Record<string, unknown>;
}

/** A profile's links and history, newest history first. */
export interface ProfileHistory {
  profileId: number;
  links: LinkView[];
  history: HistoryEntry[];
}

/** What an erasure removed. */
export interface ErasureReport {
  profileId: number;
  events: number;
  identifiers: string[];
  links: number;
  traits: number;
  historyEntries: number;
  suppressed: string[];
}

/** The outcome of an unlink. */
export type UnlinkResult =
  | { ok: true; profileId: number | null; unlinkedProfileId: number; links: number }
  | { ok: false; reason: 'unknown_profile' | 'not_in_profile' | 'only_identifier' };

/** An identifier on the suppression list. */
export interface Suppression {
  type: string;
  value: string;
  createdAt: number;
  reason: string;
}

/** What a definition defines. */
export type DefinitionKind = 'tag' | 'segment' | 'destination';

/** One version of a tag or segment definition. */
export interface DefinitionRecord {
  kind: DefinitionKind;
  key: string;
  version: number;
  /** The definition as JSON text; null for a version that deleted it. */
  body: string | null;
  createdAt: number;
  /** From a put: whether it added a version (false when the body was current already). */
  changed?: boolean;
}

/** What the engine keeps of a profile, as stored (JSON the engine owns), with its traits. */
export interface EngineProfile {
  profileId: number;
  /** The profile's traits (JSON). */
  traits: string;
  /** Changes when the profile merges or loses identifiers: its state is then rebuilt. */
  identity: string;
  /** Null when the engine has not seen the profile yet. */
  state: string | null;
  results: string | null;
}

/** A change of a profile's results: a segment entered or exited, a tag's value changed. */
export interface EngineChange {
  profileId?: number;
  at: number;
  kind: 'segment_entered' | 'segment_exited' | 'tag_changed';
  key: string;
  /** JSON: `{ from, to }` for a tag, the definition version and cause for a segment. */
  detail: string;
}

/** What one evaluation writes for a profile. */
export interface EngineUpdate {
  profileId: number;
  state: string;
  results: string;
  /** When time alone may change the results: the scheduler looks again then. */
  nextAt: number | null;
  changes: EngineChange[];
}

/** A member of a segment, and since when. */
export interface SegmentMember {
  profileId: number;
  since: number;
}

/** What became of one change for one destination. */
export type ActivationOutcome = 'delivered' | 'capped' | 'failed';

/** How many changes of a segment or tag had an outcome at a destination. */
export interface ActivationCount {
  key: string;
  outcome: ActivationOutcome;
  n: number;
}
