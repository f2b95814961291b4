/**
 * POST /sessions: validate the optional body, refuse a locked-out owner, create a Face Liveness session with server-side
 * settings only, and record the session with its owner (only the owner may read its result).
 */
import { createHash } from 'node:crypto';
import {
  CreateFaceLivenessSessionCommand,
  type CreateFaceLivenessSessionRequest,
  type RekognitionClient,
} from '@aws-sdk/client-rekognition';
import type { CreateSessionRequest, CreateSessionResponse } from '../../contract/api-types';
import { CHECK_TOKEN, IDENTITY_CHECK_FIELD } from '../../contract/identity';
import {
  AUDIT_IMAGES_LIMIT,
  CHALLENGE_TYPES,
  CLIENT_REQUEST_TOKEN,
  CREATE_SESSION_BODY_SCHEMA,
  NONCE,
  SESSION_TTL_SECONDS,
  type ChallengeType,
} from '../../contract/liveness-model';
import { challengePreferences } from '../shared/challenge-policy';
import type { HandlerConfig } from '../shared/config';
import { ApiError } from '../shared/errors';
import { checkIdOf, type IdentityRecords } from '../shared/identity-records';
import { retryAfterSeconds } from '../shared/lockout';
import type { Telemetry } from '../shared/observability';
import type { SessionIdentityCheck, SessionRecords } from '../shared/session-records';

const FIELDS = Object.keys(CREATE_SESSION_BODY_SCHEMA.properties);
const IDENTITY_FIELDS = [...FIELDS, ...Object.keys(IDENTITY_CHECK_FIELD)];

/**
 * Checks the body against the same rules as the API Gateway model, naming every problem in one message. With
 * identity verification on, `identityCheck` (an opaque token) is allowed too; a subject, photo or method never is.
 */
export function parseCreateSessionRequest(
  body: unknown,
  options: { readonly identity?: boolean } = {},
): CreateSessionRequest {
  const fields = options.identity === true ? IDENTITY_FIELDS : FIELDS;
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError('VALIDATION_ERROR', 'The request body must be a JSON object.');
  }
  const input = body as Record<string, unknown>;
  const problems: string[] = [];
  const unknown = Object.keys(input).filter((key) => !fields.includes(key));
  for (const key of unknown.slice(0, 5)) problems.push(`unknown field ${JSON.stringify(key.slice(0, 40))}`);
  if (unknown.length > 0) problems.push(`allowed fields are ${fields.join(', ')}`);

  const { clientRequestToken, auditImagesLimit, challenge, nonce, identityCheck } = input;
  if (options.identity === true && identityCheck !== undefined && !isCheckToken(identityCheck)) {
    problems.push(`identityCheck must be the ${CHECK_TOKEN.length}-character checkToken of POST /identity/checks`);
  }
  if (clientRequestToken !== undefined && !isClientRequestToken(clientRequestToken)) {
    problems.push(
      `clientRequestToken must be ${CLIENT_REQUEST_TOKEN.minLength} to ${CLIENT_REQUEST_TOKEN.maxLength} characters of A-Z, a-z, 0-9, - and _`,
    );
  }
  if (auditImagesLimit !== undefined && !isAuditImagesLimit(auditImagesLimit)) {
    problems.push(`auditImagesLimit must be an integer from ${AUDIT_IMAGES_LIMIT.min} to ${AUDIT_IMAGES_LIMIT.max}`);
  }
  if (challenge !== undefined && !(CHALLENGE_TYPES as readonly unknown[]).includes(challenge)) {
    problems.push(`challenge must be one of ${CHALLENGE_TYPES.join(', ')}`);
  }
  if (nonce !== undefined && !isNonce(nonce)) {
    problems.push(`nonce must be ${NONCE.minLength} to ${NONCE.maxLength} printable ASCII characters`);
  }
  if (problems.length > 0) throw new ApiError('VALIDATION_ERROR', `Invalid request body: ${problems.join('; ')}.`);

  return {
    ...(clientRequestToken !== undefined && { clientRequestToken: clientRequestToken as string }),
    ...(auditImagesLimit !== undefined && { auditImagesLimit: auditImagesLimit as number }),
    ...(challenge !== undefined && { challenge: challenge as ChallengeType }),
    ...(nonce !== undefined && { nonce: nonce as string }),
    ...(options.identity === true && identityCheck !== undefined && { identityCheck: identityCheck as string }),
  };
}

function isCheckToken(value: unknown): value is string {
  return typeof value === 'string' && CHECK_TOKEN.pattern.test(value);
}

function isNonce(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length >= NONCE.minLength &&
    value.length <= NONCE.maxLength &&
    NONCE.pattern.test(value)
  );
}

function isClientRequestToken(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length >= CLIENT_REQUEST_TOKEN.minLength &&
    value.length <= CLIENT_REQUEST_TOKEN.maxLength &&
    CLIENT_REQUEST_TOKEN.pattern.test(value)
  );
}

function isAuditImagesLimit(value: unknown): value is number {
  return (
    Number.isInteger(value) &&
    (value as number) >= AUDIT_IMAGES_LIMIT.min &&
    (value as number) <= AUDIT_IMAGES_LIMIT.max
  );
}

export interface CreateSessionDeps {
  readonly rekognition: Pick<RekognitionClient, 'send'>;
  readonly sessions: Pick<SessionRecords, 'lockedUntil' | 'recordSession'>;
  readonly config: Pick<
    HandlerConfig,
    | 'region'
    | 'imageBucket'
    | 'imageKeyPrefix'
    | 'kmsKeyId'
    | 'defaultAuditImagesLimit'
    | 'verdictRetentionDays'
    | 'challengePolicy'
  > & {
    readonly lockout: Pick<HandlerConfig['lockout'], 'maxFailures'>;
  };
  /** Epoch milliseconds. */
  readonly now: () => number;
  /** Makes a token when the client sent none, so the SDK's own retries cannot create a second session. */
  readonly newToken: () => string;
  readonly telemetry: Pick<Telemetry, 'session' | 'sessionCreated'>;
  /** Binds identity checks (identity verification on); absent: `identityCheck` never reaches here. */
  readonly identityChecks?: Pick<IdentityRecords, 'getCheckForBinding' | 'bindCheck'>;
}

const CHECK_INVALID = {
  UNKNOWN: 'The identityCheck token is unknown: ask your backend for a new identity check.',
  EXPIRED: 'The identityCheck token has expired: ask your backend for a new identity check.',
  ALREADY_BOUND:
    'The identityCheck token is already used by another session: ask your backend for a new identity check.',
} as const;

/** `owner` is the caller's owner reference (lambda/shared/identity.ts), never its identity. */
export async function createSession(
  input: CreateSessionRequest,
  owner: string,
  deps: CreateSessionDeps,
): Promise<CreateSessionResponse> {
  const { config } = deps;
  // Before anything else: a challenge outside the policy is the client's mistake, a 400 naming the allowed ones.
  const challenges = challengePreferences(input.challenge, config.challengePolicy);
  // Before Rekognition: a locked-out owner costs nothing.
  if (config.lockout.maxFailures > 0) {
    const lockedUntil = await deps.sessions.lockedUntil(owner);
    const now = deps.now();
    if (lockedUntil > now)
      throw new ApiError('LOCKED_OUT', undefined, { retryAfterSeconds: retryAfterSeconds(lockedUntil, now) });
  }

  // Before Rekognition: an unknown, expired or used token costs nothing. A bound one may be an idempotent repeat of
  // the same create (the same clientRequestToken), which the conditional bind below tells apart.
  let check: SessionIdentityCheck | undefined;
  if (input.identityCheck !== undefined) {
    if (deps.identityChecks === undefined)
      throw new ApiError('VALIDATION_ERROR', 'Invalid request body: unknown field "identityCheck".');
    const checkId = checkIdOf(input.identityCheck);
    const found = await deps.identityChecks.getCheckForBinding(checkId);
    if (found === undefined) throw new ApiError('IDENTITY_CHECK_INVALID', CHECK_INVALID.UNKNOWN);
    if (found.sessionId === undefined && found.expiresAt * 1000 <= deps.now())
      throw new ApiError('IDENTITY_CHECK_INVALID', CHECK_INVALID.EXPIRED);
    if (found.sessionId !== undefined && input.clientRequestToken === undefined)
      throw new ApiError('IDENTITY_CHECK_INVALID', CHECK_INVALID.ALREADY_BOUND);
    check = { checkId, method: found.method, subject: found.subject };
  }

  const request: CreateFaceLivenessSessionRequest = {
    ClientRequestToken: ownerToken(owner, input.clientRequestToken ?? deps.newToken()),
    ...(config.kmsKeyId !== undefined && { KmsKeyId: config.kmsKeyId }),
    Settings: {
      ...(config.imageBucket !== undefined && {
        OutputConfig: {
          S3Bucket: config.imageBucket,
          ...(config.imageKeyPrefix !== '' && { S3KeyPrefix: config.imageKeyPrefix }),
        },
      }),
      // The operator's default is a floor: a client may ask for more audit images, never fewer.
      AuditImagesLimit: Math.max(input.auditImagesLimit ?? 0, config.defaultAuditImagesLimit),
      ChallengePreferences: challenges,
    },
  };
  const startedAt = deps.now();
  const { SessionId } = await deps.rekognition.send(new CreateFaceLivenessSessionCommand(request));
  if (SessionId === undefined) throw new Error('CreateFaceLivenessSession returned no SessionId');
  deps.telemetry.session(SessionId);

  // Bound once, before the session is recorded: a session that names a check is always the one the check names.
  if (check !== undefined && deps.identityChecks !== undefined) {
    const bound = await deps.identityChecks.bindCheck(check.checkId, SessionId, deps.now());
    if (bound !== 'BOUND') throw new ApiError('IDENTITY_CHECK_INVALID', CHECK_INVALID[bound]);
  }

  // Recorded before the id is handed out: a session nobody owns could never be read. The expiry is counted from
  // before the call, so the client is never told one later than the real one; an idempotent repeat of a create gets
  // the session's recorded expiry back, not one counted from now.
  const expiresAt = await deps.sessions.recordSession({
    sessionId: SessionId,
    owner,
    ...(input.nonce !== undefined && { nonce: input.nonce }),
    ...(check !== undefined && { identityCheck: check }),
    createdAt: startedAt,
    expiresAt: startedAt + SESSION_TTL_SECONDS * 1000,
    deleteAfterSeconds: Math.ceil(startedAt / 1000) + config.verdictRetentionDays * 86_400,
  });

  deps.telemetry.sessionCreated();
  return { sessionId: SessionId, region: config.region, expiresAt: new Date(expiresAt).toISOString() };
}

/**
 * The idempotency token Rekognition sees: the client's token bound to its owner. Rekognition's tokens are per AWS
 * account, so passing the client's token through would let another caller who sends the same token get (and then try
 * to read) someone else's session. 43 characters of [A-Za-z0-9_-], within Rekognition's 1–64.
 */
export function ownerToken(owner: string, token: string): string {
  return createHash('sha256').update(owner).update('\0').update(token).digest('base64url');
}
