/**
 * What went wrong, in the person's words: the detector's errors (its LivenessError) and the API's (the typed
 * client's errors) become a stable code, a title, a message and whether a new session can help. Technical detail
 * stays with the app (the component's `onError`), never on screen.
 */
import type { LivenessApiError, LivenessCredentialsError, LivenessErrorKind } from '../client';
import { en } from './messages/en';
import type { LivenessMessages, ProblemCode } from './messages/types';

export interface LivenessProblem {
  readonly code: ProblemCode;
  readonly title: string;
  readonly message: string;
  /** Whether "Try again" (a new session) can help now. */
  readonly retry: boolean;
  /** A lockout's wait (the API's Retry-After), when it gave one: "Try again" is offered once it has passed. */
  readonly retryAfterSeconds?: number;
  /** The API's request id, for support. */
  readonly requestId?: string;
}

/** What FaceLivenessDetector's onError receives (its LivenessError), kept structural. */
export interface DetectorError {
  readonly state: string;
  readonly error?: { readonly name?: string; readonly message?: string };
}

function problem(
  messages: LivenessMessages,
  code: ProblemCode,
  retry: boolean,
  extra: { message?: string; retryAfterSeconds?: number; requestId?: string } = {},
): LivenessProblem {
  const text = messages.problems[code];
  const support = extra.requestId === undefined ? '' : ` ${messages.supportReference(extra.requestId)}`;
  return {
    code,
    title: text.title,
    message: `${extra.message ?? text.message}${support}`,
    retry,
    ...(extra.retryAfterSeconds !== undefined && { retryAfterSeconds: extra.retryAfterSeconds }),
    ...(extra.requestId !== undefined && { requestId: extra.requestId }),
  };
}

export function describeDetectorError(
  { state, error }: DetectorError,
  messages: LivenessMessages = en,
): LivenessProblem {
  switch (state) {
    case 'CAMERA_ACCESS_ERROR':
    case 'DEFAULT_CAMERA_NOT_FOUND_ERROR':
      return problem(messages, 'CAMERA_ACCESS', true);
    case 'CAMERA_FRAMERATE_ERROR':
      return problem(messages, 'CAMERA_FRAMERATE', true);
    case 'MOBILE_LANDSCAPE_ERROR':
      return problem(messages, 'LANDSCAPE', true);
    case 'TIMEOUT':
    case 'FRESHNESS_TIMEOUT':
      return problem(messages, 'FACE_FIT_TIMEOUT', true);
    case 'FACE_DISTANCE_ERROR':
      return problem(messages, 'FACE_TOO_CLOSE', true);
    case 'MULTIPLE_FACES_ERROR':
      return problem(messages, 'MULTIPLE_FACES', true);
    case 'CONNECTION_TIMEOUT':
      return problem(messages, 'CONNECTION_TIMEOUT', true);
    case 'SERVER_ERROR':
      return describeServerError(error?.name ?? '', error?.message ?? '', messages);
    default:
      return problem(messages, 'RUNTIME_ERROR', true);
  }
}

function describeServerError(name: string, detail: string, messages: LivenessMessages): LivenessProblem {
  if (name === 'SessionNotFoundException' || /expired|already been used|not found/i.test(detail)) {
    return problem(messages, 'SESSION_UNUSABLE', true);
  }
  if (/valid region/i.test(detail)) return problem(messages, 'WRONG_REGION', false);
  if (name === 'ThrottlingException' || name === 'ServiceQuotaExceededException') {
    return problem(messages, 'BUSY', true);
  }
  return problem(messages, 'STREAM_INTERRUPTED', true);
}

export interface RequestErrorContext {
  /** The session request named a challenge: a refusal then means the backend does not allow it. */
  readonly askedForChallenge?: boolean;
}

/**
 * The client's error kind (`LivenessError.kind`): read structurally rather than with `instanceof`, so an app whose
 * bundler loads the client twice (its ESM and CommonJS builds) is still understood.
 */
function kindOf(error: unknown): LivenessErrorKind | undefined {
  if (!(error instanceof Error) || !('kind' in error) || !('retryable' in error)) return undefined;
  const kind = (error as { kind: unknown }).kind;
  return typeof kind === 'string' ? (kind as LivenessErrorKind) : undefined;
}

/** Errors of our own API (creating a session, fetching the result), as the typed client throws them. */
export function describeRequestError(
  error: unknown,
  messages: LivenessMessages = en,
  context: RequestErrorContext = {},
): LivenessProblem {
  const kind = kindOf(error);
  if (kind === 'api') {
    const api = error as LivenessApiError;
    const requestId = api.requestId;
    switch (api.code) {
      case 'THROTTLED':
        return problem(messages, 'API_THROTTLED', true);
      case 'LOCKED_OUT': {
        // Retry-After is seconds; people think in minutes.
        const seconds = api.retryAfterSeconds;
        const minutes = seconds === undefined ? undefined : Math.max(1, Math.ceil(seconds / 60));
        return problem(messages, 'LOCKED_OUT', false, {
          message: messages.lockedOut(minutes),
          ...(seconds !== undefined && { retryAfterSeconds: seconds }),
        });
      }
      case 'SERVICE_UNAVAILABLE':
      case 'UPSTREAM_TIMEOUT':
        return problem(messages, 'API_UNAVAILABLE', true);
      case 'SESSION_NOT_FOUND':
      case 'NOT_FOUND':
        return problem(messages, 'SESSION_UNUSABLE', true);
      case 'VALIDATION_ERROR':
        if (context.askedForChallenge && /challenge/i.test(api.message)) {
          return problem(messages, 'CHALLENGE_UNAVAILABLE', false, withRequestId(requestId));
        }
        return problem(messages, 'API_ERROR', false, withRequestId(requestId));
      case 'INVALID_SIGNATURE':
        // The browser signs with its own clock: a clock minutes off is the usual cause of both.
        return problem(messages, 'API_SIGNATURE', true, withRequestId(requestId));
      case 'CREDENTIALS_EXPIRED':
        return problem(messages, 'CREDENTIALS_EXPIRED', true, withRequestId(requestId));
      case 'UNAUTHORIZED':
      case 'FORBIDDEN':
        return problem(messages, 'API_FORBIDDEN', false, withRequestId(requestId));
      default:
        return problem(messages, 'API_ERROR', api.retryable || api.status >= 500, withRequestId(requestId));
    }
  }
  if (kind === 'timeout') return problem(messages, 'RESULT_TIMEOUT', true);
  if (kind === 'network') return problem(messages, 'NETWORK', true);
  if (kind === 'credentials') {
    return (error as LivenessCredentialsError).retryable
      ? problem(messages, 'CREDENTIALS', true)
      : problem(messages, 'CREDENTIALS_MISCONFIGURED', false);
  }
  if (kind !== undefined) return problem(messages, 'CLIENT_ERROR', true);
  return problem(messages, 'UNEXPECTED', true);
}

function withRequestId(requestId: string | undefined): { requestId?: string } {
  return requestId ? { requestId } : {};
}
