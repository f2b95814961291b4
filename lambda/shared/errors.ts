/** The one error family the handlers answer with; its codes, statuses and retry delays come from the shared table. */
import { ERROR_CODES, RETRY_AFTER_SECONDS, type ErrorCode } from '../../contract/error-codes';
import { MAX_CREATE_BODY_BYTES, SESSION_TTL_SECONDS } from '../../contract/liveness-model';

/** Texts safe to show to any caller: they explain what to do, never what went wrong inside. */
const DEFAULT_MESSAGES: Partial<Record<ErrorCode, string>> = {
  VALIDATION_ERROR: 'The request is not valid.',
  MALFORMED_JSON: 'The request body is not valid JSON.',
  UNSUPPORTED_MEDIA_TYPE: 'Send the request body as application/json.',
  PAYLOAD_TOO_LARGE: `The request body is larger than ${MAX_CREATE_BODY_BYTES} bytes.`,
  // One text for every cause, so the answer never tells another caller's session from an unknown one.
  SESSION_NOT_FOUND: `No such session for this caller: it is unknown, has expired (a session lasts ${SESSION_TTL_SECONDS / 60} minutes), or was created by another identity. Start a new session.`,
  THROTTLED: 'Too many requests. Retry after the Retry-After delay.',
  LOCKED_OUT: 'Too many failed liveness checks: no new session and no result until the Retry-After delay has passed.',
  UNAUTHORIZED: 'The request carries no valid credentials.',
  SERVICE_UNAVAILABLE: 'The face liveness service is temporarily unavailable. Retry after the Retry-After delay.',
  UPSTREAM_TIMEOUT: 'The face liveness service did not answer in time. Retry after the Retry-After delay.',
  BACKEND_MISCONFIGURED:
    "The backend is misconfigured (its IAM role, region or settings). An operator must fix the deployment; the details are in the backend's logs.",
  INTERNAL_ERROR: 'Internal error. Quote the request id when reporting it.',
};

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly statusCode: number;
  readonly retryAfterSeconds: number | undefined;
  /** For the operator's log only; never sent to the caller. */
  readonly detail: string | undefined;

  constructor(
    readonly code: ErrorCode,
    message?: string,
    options: { cause?: unknown; detail?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message ?? DEFAULT_MESSAGES[code] ?? code, { cause: options.cause });
    this.statusCode = ERROR_CODES[code].status;
    this.retryAfterSeconds = options.retryAfterSeconds ?? RETRY_AFTER_SECONDS[code];
    this.detail = options.detail;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
