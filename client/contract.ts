/**
 * Checks at the client's edge, against the shared contract: inputs before they are sent (a clear message beats a
 * 400 after a round trip) and success bodies before they are trusted (a proxy answering 200 with HTML must not
 * become a "result").
 */
import type { CreateSessionRequest, CreateSessionResponse, SessionResult } from '../contract/api-types';
import { ERROR_CODES, type ErrorCode } from '../contract/error-codes';
import {
  CHECK_TOKEN,
  IDENTITY_METHODS,
  SUBJECT,
  type EraseSubjectResponse,
  type CreateIdentityCheckResponse,
} from '../contract/identity';
import {
  AUDIT_IMAGES_LIMIT,
  CHALLENGE_TYPES,
  CLIENT_REQUEST_TOKEN,
  NONCE,
  SESSION_ID,
  SESSION_STATUSES,
  TERMINAL_STATUSES,
} from '../contract/liveness-model';
import { LivenessValidationError } from './errors';

export function assertSessionId(sessionId: unknown): asserts sessionId is string {
  if (typeof sessionId !== 'string' || sessionId.length !== SESSION_ID.length || !SESSION_ID.pattern.test(sessionId)) {
    const shown = typeof sessionId === 'string' ? `"${sessionId.slice(0, 60)}"` : String(sessionId);
    throw new LivenessValidationError(
      'sessionId',
      `${shown} is not a session id: expected ${SESSION_ID.length} characters, a lowercase UUID.`,
    );
  }
}

export function assertCreateSessionRequest(request: CreateSessionRequest): void {
  const { clientRequestToken: token, auditImagesLimit: limit, challenge, nonce, identityCheck } = request;
  if (
    token !== undefined &&
    (typeof token !== 'string' ||
      token.length < CLIENT_REQUEST_TOKEN.minLength ||
      token.length > CLIENT_REQUEST_TOKEN.maxLength ||
      !CLIENT_REQUEST_TOKEN.pattern.test(token))
  ) {
    throw new LivenessValidationError(
      'clientRequestToken',
      `clientRequestToken must be ${CLIENT_REQUEST_TOKEN.minLength}–${CLIENT_REQUEST_TOKEN.maxLength} characters of a-z, A-Z, 0-9, "-" and "_".`,
    );
  }
  if (
    limit !== undefined &&
    (!Number.isInteger(limit) || limit < AUDIT_IMAGES_LIMIT.min || limit > AUDIT_IMAGES_LIMIT.max)
  ) {
    throw new LivenessValidationError(
      'auditImagesLimit',
      `auditImagesLimit must be an integer from ${AUDIT_IMAGES_LIMIT.min} to ${AUDIT_IMAGES_LIMIT.max}.`,
    );
  }
  if (challenge !== undefined && !(CHALLENGE_TYPES as readonly string[]).includes(challenge)) {
    throw new LivenessValidationError('challenge', `challenge must be one of: ${CHALLENGE_TYPES.join(', ')}.`);
  }
  if (
    nonce !== undefined &&
    (typeof nonce !== 'string' ||
      nonce.length < NONCE.minLength ||
      nonce.length > NONCE.maxLength ||
      !NONCE.pattern.test(nonce))
  ) {
    throw new LivenessValidationError(
      'nonce',
      `nonce must be ${NONCE.minLength}–${NONCE.maxLength} printable ASCII characters (space to tilde).`,
    );
  }
  if (identityCheck !== undefined && (typeof identityCheck !== 'string' || !CHECK_TOKEN.pattern.test(identityCheck))) {
    throw new LivenessValidationError(
      'identityCheck',
      `identityCheck must be the ${CHECK_TOKEN.length}-character token your backend got from POST /identity/checks.`,
    );
  }
}

export function assertSubject(subject: unknown): asserts subject is string {
  if (
    typeof subject !== 'string' ||
    subject.length < SUBJECT.minLength ||
    subject.length > SUBJECT.maxLength ||
    !SUBJECT.pattern.test(subject)
  ) {
    throw new LivenessValidationError(
      'subject',
      `subject must be ${SUBJECT.minLength}–${SUBJECT.maxLength} characters of A-Z, a-z, 0-9, "_", ".", ":" and "-" (your app's opaque id of its user).`,
    );
  }
}

export function isCreateIdentityCheckResponse(body: unknown): body is CreateIdentityCheckResponse {
  return (
    isRecord(body) &&
    typeof body['checkToken'] === 'string' &&
    CHECK_TOKEN.pattern.test(body['checkToken']) &&
    typeof body['expiresAt'] === 'string' &&
    !Number.isNaN(Date.parse(body['expiresAt']))
  );
}

export function isEraseSubjectResponse(body: unknown): body is EraseSubjectResponse {
  const count = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0;
  return (
    isRecord(body) &&
    typeof body['subject'] === 'string' &&
    count(body['facesDeleted']) &&
    count(body['referencePhotosDeleted'])
  );
}

function isIdentityResult(value: unknown): boolean {
  return (
    isRecord(value) &&
    (IDENTITY_METHODS as readonly unknown[]).includes(value['method']) &&
    typeof value['subject'] === 'string' &&
    typeof value['matched'] === 'boolean' &&
    typeof value['threshold'] === 'number' &&
    (value['reason'] === undefined || typeof value['reason'] === 'string')
  );
}

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function isCreateSessionResponse(body: unknown): body is CreateSessionResponse {
  return (
    isRecord(body) &&
    typeof body['sessionId'] === 'string' &&
    SESSION_ID.pattern.test(body['sessionId']) &&
    typeof body['region'] === 'string' &&
    typeof body['expiresAt'] === 'string' &&
    !Number.isNaN(Date.parse(body['expiresAt']))
  );
}

/** Structural check of the fields a caller branches on; `details` is passed through as the server sent it. */
export function isSessionResult(body: unknown): body is SessionResult {
  if (!isRecord(body) || typeof body['sessionId'] !== 'string') return false;
  const status = body['status'];
  if (typeof status !== 'string' || !(SESSION_STATUSES as readonly string[]).includes(status)) return false;
  const terminal = (TERMINAL_STATUSES as readonly string[]).includes(status);
  if (body['done'] !== terminal) return false;
  if (!terminal) return true;
  return (
    typeof body['isLive'] === 'boolean' &&
    Array.isArray(body['feedback']) &&
    body['feedback'].every((f) => typeof f === 'string') &&
    (body['reason'] === undefined || typeof body['reason'] === 'string') &&
    (body['message'] === undefined || typeof body['message'] === 'string') &&
    (body['identity'] === undefined || isIdentityResult(body['identity']))
  );
}

export interface ParsedErrorBody {
  readonly code: ErrorCode;
  readonly message: string;
  readonly requestId: string | undefined;
}

/** The API's `ErrorBody`, or undefined when the body is anything else (then another server answered). */
export function parseErrorBody(body: unknown): ParsedErrorBody | undefined {
  if (!isRecord(body) || !isRecord(body['error'])) return undefined;
  const { code, message, requestId } = body['error'];
  if (typeof code !== 'string' || !Object.hasOwn(ERROR_CODES, code) || typeof message !== 'string') return undefined;
  return { code: code as ErrorCode, message, requestId: typeof requestId === 'string' ? requestId : undefined };
}
