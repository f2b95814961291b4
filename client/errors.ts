/**
 * The errors the client throws. Every one extends `LivenessError`, so a caller can tell "our client failed" from any
 * other bug with one `instanceof`, then branch on the subclass (or on `kind`, which survives structured cloning).
 */
import type { ErrorCode } from '../contract/error-codes';
import type { PendingResult } from '../contract/api-types';

export type LivenessErrorKind = 'api' | 'response' | 'network' | 'timeout' | 'validation' | 'credentials';

export abstract class LivenessError extends Error {
  // Each class names itself: minifiers rename classes, so `constructor.name` would not survive a browser build.
  override name = 'LivenessError';
  abstract readonly kind: LivenessErrorKind;
  /** Whether sending the same request again later may succeed. */
  abstract readonly retryable: boolean;
}

/** The API answered with its documented error body (`ErrorBody`). */
export class LivenessApiError extends LivenessError {
  override name = 'LivenessApiError';
  readonly kind = 'api';
  readonly status: number;
  readonly code: ErrorCode;
  readonly requestId: string | undefined;
  readonly retryable: boolean;
  /** From the `Retry-After` header; for a retryable code without one, the API's documented default. */
  readonly retryAfterSeconds: number | undefined;

  constructor(init: {
    status: number;
    code: ErrorCode;
    message: string;
    requestId?: string;
    retryable: boolean;
    retryAfterSeconds?: number;
  }) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.retryable = init.retryable;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/**
 * The answer did not follow the API's contract: not JSON, an unknown error code, a success body of the wrong shape.
 * Usually a proxy, a CDN or a wrong URL answered instead of this API.
 */
export class LivenessResponseError extends LivenessError {
  override name = 'LivenessResponseError';
  readonly kind = 'response';
  readonly status: number;
  readonly requestId: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;
  /** The start of the body, for diagnostics (never parsed further). */
  readonly bodySnippet: string;

  constructor(init: {
    status: number;
    message: string;
    bodySnippet: string;
    requestId?: string;
    retryable: boolean;
    retryAfterSeconds?: number;
    cause?: unknown;
  }) {
    super(init.message, { cause: init.cause });
    this.status = init.status;
    this.requestId = init.requestId;
    this.retryable = init.retryable;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.bodySnippet = init.bodySnippet;
  }
}

/** No HTTP answer at all: DNS, refused connection, TLS, CORS in a browser, or the per-request timeout. */
export class LivenessNetworkError extends LivenessError {
  override name = 'LivenessNetworkError';
  readonly kind = 'network';
  readonly retryable = true;
  readonly timedOut: boolean;

  constructor(message: string, init: { timedOut: boolean; cause?: unknown }) {
    super(message, { cause: init.cause });
    this.timedOut = init.timedOut;
  }
}

export type LivenessTimeoutReason =
  /** The caller's `timeoutMs` ran out. */
  | 'TIMEOUT'
  /** The session's 3-minute life is over (or would be before the next allowed poll): start a new session. */
  | 'SESSION_EXPIRED';

/** `waitForResult` gave up before the session reached a terminal status. */
export class LivenessTimeoutError extends LivenessError {
  override name = 'LivenessTimeoutError';
  readonly kind = 'timeout';
  readonly retryable = false;
  readonly reason: LivenessTimeoutReason;
  readonly sessionId: string;
  /** The last pending answer seen, if any. */
  readonly lastResult: PendingResult | undefined;

  constructor(init: { reason: LivenessTimeoutReason; sessionId: string; message: string; lastResult?: PendingResult }) {
    super(init.message);
    this.reason = init.reason;
    this.sessionId = init.sessionId;
    this.lastResult = init.lastResult;
  }
}

/** Bad input caught before any request was sent (session id, API URL, create options). */
export class LivenessValidationError extends LivenessError {
  override name = 'LivenessValidationError';
  readonly kind = 'validation';
  readonly retryable = false;
  /** The option or argument at fault, e.g. `sessionId`. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/** Credentials could not be obtained (e.g. the Cognito identity pool refused a guest identity). */
export class LivenessCredentialsError extends LivenessError {
  override name = 'LivenessCredentialsError';
  readonly kind = 'credentials';
  readonly retryable: boolean;
  /** The AWS error type when the identity service returned one, e.g. `NotAuthorizedException`. */
  readonly awsErrorType: string | undefined;
  readonly status: number | undefined;

  constructor(message: string, init: { retryable: boolean; awsErrorType?: string; status?: number; cause?: unknown }) {
    super(message, { cause: init.cause });
    this.retryable = init.retryable;
    this.awsErrorType = init.awsErrorType;
    this.status = init.status;
  }
}
