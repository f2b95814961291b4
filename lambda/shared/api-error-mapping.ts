/**
 * The one place where failures become API errors. AWS exceptions are matched by `name`, which the SDK sets from the
 * wire's `__type`, so the match also holds for errors from another copy of the SDK or from an emulator.
 */
import type { ErrorCode } from '../../contract/error-codes';
import { ApiError, isApiError } from './errors';

// A Map, not an object literal: an error named "constructor" or "valueOf" must not find Object.prototype members.
const BY_NAME: ReadonlyMap<string, ErrorCode> = new Map(
  Object.entries({
    SessionNotFoundException: 'SESSION_NOT_FOUND',
    InvalidParameterException: 'VALIDATION_ERROR',
    ThrottlingException: 'THROTTLED',
    ProvisionedThroughputExceededException: 'THROTTLED',
    InternalServerError: 'SERVICE_UNAVAILABLE',
    ServiceUnavailableException: 'SERVICE_UNAVAILABLE',
    // DynamoDB (the session table).
    RequestLimitExceeded: 'THROTTLED',
    LimitExceededException: 'THROTTLED',
    ResourceNotFoundException: 'BACKEND_MISCONFIGURED',
    // Wrong IAM policy, wrong region, missing or bad credentials: the end user cannot fix any of these.
    AccessDeniedException: 'BACKEND_MISCONFIGURED',
    UnrecognizedClientException: 'BACKEND_MISCONFIGURED',
    InvalidSignatureException: 'BACKEND_MISCONFIGURED',
    CredentialsProviderError: 'BACKEND_MISCONFIGURED',
    // The SDK's own request timeout, an abort, middy's early timeout, or AWS's RequestTimeout.
    TimeoutError: 'UPSTREAM_TIMEOUT',
    AbortError: 'UPSTREAM_TIMEOUT',
    RequestTimeout: 'UPSTREAM_TIMEOUT',
    RequestTimeoutException: 'UPSTREAM_TIMEOUT',
  } satisfies Record<string, ErrorCode>),
);

// Connection failures that a retry may cure (an endpoint restarting, a dropped keep-alive socket).
const TRANSIENT_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']);

const MESSAGES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    // Our own validation runs first, so this is mostly a server-side setting Rekognition rejected: the raw AWS text
    // (which may name the bucket or key) goes to the log, a fixed text to the caller.
    InvalidParameterException: 'Rekognition rejected the request parameters.',
    AccessDeniedException: "The backend's IAM role or region is misconfigured: an operator must fix the deployment.",
  }),
);

export function toApiError(error: unknown): ApiError {
  if (isApiError(error)) return error;
  const { name, message, code } = describe(error);
  // Capped: some messages quote their input (a JSON parse error quotes the response body it choked on).
  const detail = `${name}: ${message}`.slice(0, 300);
  const mapped =
    BY_NAME.get(name) ?? (code !== undefined && TRANSIENT_NETWORK_CODES.has(code) ? 'SERVICE_UNAVAILABLE' : undefined);
  if (mapped === undefined) return new ApiError('INTERNAL_ERROR', undefined, { cause: error, detail });
  return new ApiError(mapped, MESSAGES.get(name), { cause: error, detail });
}

// The SDK's retry layer wraps a thrown value it does not recognise as an Error (one from another realm, e.g. a socket
// error seen through a VM context) into `new Error('AWS SDK error wrapper for TimeoutError: socket hang up')`.
const SDK_WRAPPER = /^AWS SDK error wrapper for (\w+)(?::|$)/;

function describe(error: unknown): { name: string; message: string; code: string | undefined } {
  if (typeof error !== 'object' || error === null)
    return { name: typeof error, message: String(error), code: undefined };
  const e = error as { name?: unknown; message?: unknown; code?: unknown };
  const message = typeof e.message === 'string' ? e.message : '';
  const wrapped = SDK_WRAPPER.exec(message)?.[1];
  return {
    name: wrapped ?? (typeof e.name === 'string' ? e.name : 'Error'),
    message,
    code: typeof e.code === 'string' ? e.code : undefined,
  };
}
