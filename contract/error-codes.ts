/**
 * Every error this API can answer with: a stable `code` (what clients branch on), its HTTP status and whether the
 * client should retry the same request. Handlers, API Gateway's own gateway responses, the typed client and the docs
 * all read this table.
 */
export const ERROR_CODES = {
  /** The request body, a path parameter or a header failed validation. */
  VALIDATION_ERROR: { status: 400, retryable: false },
  /** The body is not valid JSON. */
  MALFORMED_JSON: { status: 400, retryable: false },
  /**
   * The `identityCheck` token of POST /sessions is unknown, has expired, or is already bound to another session (the
   * message says which): the app's backend must open a new identity check.
   */
  IDENTITY_CHECK_INVALID: { status: 400, retryable: false },
  /** The reference photo's S3 object is not in a bucket and prefix the backend was configured to read. */
  REFERENCE_PHOTO_NOT_ALLOWED: { status: 400, retryable: false },
  /** The body's Content-Type is not application/json. */
  UNSUPPORTED_MEDIA_TYPE: { status: 415, retryable: false },
  /** The body is larger than this API accepts. */
  PAYLOAD_TOO_LARGE: { status: 413, retryable: false },
  /** Missing or invalid token (API Gateway, user-pool auth), or no caller identity reached the function. */
  UNAUTHORIZED: { status: 401, retryable: false },
  /**
   * The request's SigV4 signature does not match it (API Gateway, IAM auth): the signing region, the service name
   * (`execute-api`), the credentials or the device clock is wrong. 403, as API Gateway answers it.
   */
  INVALID_SIGNATURE: { status: 403, retryable: false },
  /** The credentials that signed the request have expired (API Gateway, IAM auth): get new ones, then send it again. */
  CREDENTIALS_EXPIRED: { status: 403, retryable: false },
  /** The caller may not call this route (API Gateway, WAF). */
  FORBIDDEN: { status: 403, retryable: false },
  /** No such route, or no such session (unknown, expired or not yours): start a new session. */
  NOT_FOUND: { status: 404, retryable: false },
  SESSION_NOT_FOUND: { status: 404, retryable: false },
  /** The route exists but not for this method. */
  METHOD_NOT_ALLOWED: { status: 405, retryable: false },
  /** Too many requests: wait for `Retry-After` seconds. */
  THROTTLED: { status: 429, retryable: true },
  /**
   * Too many failed liveness checks from this caller in a short time (AWS's guidance): no new session until
   * `Retry-After` seconds have passed. Not retryable by a client loop: show the wait to the person.
   */
  LOCKED_OUT: { status: 429, retryable: false },
  /** Rekognition had an internal error: retry after `Retry-After` seconds. */
  SERVICE_UNAVAILABLE: { status: 503, retryable: true },
  /** Rekognition did not answer within the per-call timeout: retry. */
  UPSTREAM_TIMEOUT: { status: 504, retryable: true },
  /** The backend's IAM role or region is wrong: an operator must fix the deployment. */
  BACKEND_MISCONFIGURED: { status: 500, retryable: false },
  /** Anything else. Details are in the logs under the request id, never in the response. */
  INTERNAL_ERROR: { status: 500, retryable: false },
} as const satisfies Record<string, { status: number; retryable: boolean }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The body of every error response of this API, from the handlers and from API Gateway alike. */
export interface ErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly requestId: string;
  };
}

/** Seconds a client should wait before retrying a retryable error, sent as `Retry-After`. */
export const RETRY_AFTER_SECONDS: Partial<Record<ErrorCode, number>> = {
  THROTTLED: 2,
  SERVICE_UNAVAILABLE: 1,
  UPSTREAM_TIMEOUT: 1,
};
