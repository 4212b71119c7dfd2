/**
 * The one registry of Spoor's error codes. A code's meaning never changes and a retired code is
 * never reused, so SDKs and operators can key behaviour and alerts on it. `status` is the HTTP
 * status a request-level error answers with; event-level codes appear inside a 200/400 body's
 * `rejected` list and have no status of their own.
 */
export const REQUEST_ERRORS = {
  unauthorized: { status: 401, message: 'Missing or unknown write key' },
  admin_unauthorized: { status: 401, message: 'Missing or invalid admin bearer token' },
  forbidden_origin: {
    status: 403,
    message: 'This write key does not accept requests from this origin',
  },
  not_found: { status: 404, message: 'No such route' },
  batch_too_large: { status: 413, message: 'Request body exceeds the batch size limit' },
  event_too_large: { status: 413, message: 'Event exceeds the per-event size limit' },
  unsupported_media_type: {
    status: 415,
    message: 'Content-Type must be application/json or text/plain',
  },
  unsupported_encoding: {
    status: 415,
    message: 'Content-Encoding must be gzip, deflate or identity',
  },
  empty_body: { status: 400, message: 'Request body is empty' },
  invalid_encoding: { status: 400, message: 'Request body is not a valid gzip or deflate stream' },
  invalid_utf8: { status: 400, message: 'Request body is not valid UTF-8' },
  invalid_json: { status: 400, message: 'Request body is not valid JSON' },
  invalid_batch: { status: 400, message: 'Request body must be an object with a "batch" array' },
  empty_batch: { status: 400, message: 'The "batch" array is empty' },
  no_valid_events: { status: 400, message: 'No event in the request is valid' },
  invalid_query: { status: 400, message: 'Invalid query parameters' },
  invalid_identity_ref: {
    status: 400,
    message: 'Expected {type}:{value} with a configured identity type and a usable value',
  },
  profile_not_found: { status: 404, message: 'No profile holds this identifier' },
  suppression_not_found: { status: 404, message: 'This identifier is not suppressed' },
  identity_disabled: {
    status: 404,
    message: 'Identity resolution is off on this collector (SPOOR_IDENTITY=off)',
  },
  unlink_refused: { status: 409, message: 'The identifier cannot be unlinked from this profile' },
  invalid_definition: { status: 400, message: 'The definition is invalid' },
  definition_not_found: { status: 404, message: 'No such tag or segment' },
  definition_in_use: { status: 409, message: 'Other definitions use this one' },
  invalid_tag_value: { status: 400, message: "The value does not fit the imported tag's type" },
  bad_request: { status: 400, message: 'The request is malformed' },
  overloaded: { status: 503, message: 'The collector is at capacity; retry after the given delay' },
  shutting_down: {
    status: 503,
    message: 'The collector is shutting down; retry after the given delay',
  },
  storage_unavailable: { status: 503, message: 'The event store could not commit; retry later' },
  internal_error: { status: 500, message: 'Internal error' },
} as const;

/** Reasons an individual event is rejected; reported per event with its index and messageId. */
export const EVENT_ERRORS = {
  invalid_event: 'The event must be a JSON object',
  unknown_type: 'type must be one of track, identify, page, screen, group, alias',
  missing_identity: 'The event must carry userId, anonymousId or at least one identity',
  invalid_field: 'A field has the wrong type or value',
  event_too_large: 'The event exceeds the per-event size limit',
  too_deep: 'The event is nested too deeply',
  too_many_keys: 'The event has too many object keys',
  string_too_long: 'A string in the event is too long',
  array_too_long: 'An array in the event is too long',
  forbidden_key: 'Keys named __proto__, constructor or prototype are not accepted',
  invalid_string: 'A string contains an unpaired UTF-16 surrogate',
  timestamp_out_of_range: 'The event timestamp is too far in the future or the past',
  unknown_identity_type: 'The identity type is not configured on this collector',
  operations_not_allowed: 'Profile operations are only accepted on identify events',
  invalid_identity: 'An identity is malformed for its type (e.g. a phone that is no phone number)',
  no_usable_identity: 'Every identifier of the event is a placeholder value such as "null" or "0"',
} as const;

/** A request-level error code. */
export type RequestErrorCode = keyof typeof REQUEST_ERRORS;
/** An event-level rejection code. */
export type EventErrorCode = keyof typeof EVENT_ERRORS;

/** The body of every non-2xx response. */
export interface ErrorBody {
  code: RequestErrorCode;
  message: string;
  /** With `no_valid_events`: the first 100 refused events and the total. */
  rejected?: RejectedEvent[];
  rejectedCount?: number;
}

/** One issue found in an event: a code, where it is, and a human-readable message. */
export interface EventIssue {
  code: EventErrorCode;
  /** JSON path of the offending value, e.g. `properties.items[3].price`; empty for the root. */
  path: string;
  message: string;
}

/** An event the collector refused, as listed in responses and in `GET /v1/rejections`. */
export interface RejectedEvent {
  index: number;
  messageId: string | null;
  errors: EventIssue[];
}

/** The body of a 200 answer from an ingest endpoint. */
export interface IngestResponse {
  success: true;
  /** Events stored by this request. */
  accepted: number;
  /** Events already stored earlier under the same source and messageId, acknowledged again. */
  duplicates: number;
  /** Events dropped because they carry an identifier of an erased person (see docs/identity.md). */
  suppressed: number;
  /** Duplicates whose payload differs from the stored one (the first one wins); the first 100. */
  conflicts: { index: number; messageId: string }[];
  /** All conflicts, listed or not. */
  conflictCount: number;
  /** Events refused, with the reasons; the first 100. */
  rejected: RejectedEvent[];
  /** All refused events, listed or not. */
  rejectedCount: number;
}

/** How many rejected events and conflicts a response lists (and the store keeps) per request. */
export const MAX_LISTED_PER_REQUEST = 100;
