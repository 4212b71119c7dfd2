import {
  REQUEST_ERRORS,
  type ErrorBody,
  type RejectedEvent,
  type RequestErrorCode,
} from '@spoor/schemas';

/** A request-level failure with a stable code from the registry in `@spoor/schemas`. */
export class SpoorError extends Error {
  readonly statusCode: number;

  constructor(
    readonly code: RequestErrorCode,
    message: string = REQUEST_ERRORS[code].message,
    readonly rejected?: RejectedEvent[],
    /** Seconds a client should wait before retrying (503 answers). */
    readonly retryAfter?: number,
    /** All refused events when `rejected` lists only the first ones. */
    readonly rejectedCount?: number,
  ) {
    super(message);
    this.name = 'SpoorError';
    this.statusCode = REQUEST_ERRORS[code].status;
  }

  /** The JSON body sent to the client. */
  toBody(): ErrorBody {
    const body: ErrorBody = { code: this.code, message: this.message };
    if (this.rejected) {
      body.rejected = this.rejected;
      body.rejectedCount = this.rejectedCount ?? this.rejected.length;
    }
    return body;
  }
}
