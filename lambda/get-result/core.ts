/**
 * GET /sessions/{sessionId}/result: read the session and decide the verdict here, on the server, once. The confidence
 * score stays on the server unless the operator turned exposeDetails on, and is never stored.
 */
import { randomUUID } from 'node:crypto';
import {
  GetFaceLivenessSessionResultsCommand,
  type GetFaceLivenessSessionResultsResponse,
  type RekognitionClient,
} from '@aws-sdk/client-rekognition';
import type {
  AttestationStatus,
  FinishedResult,
  NotLiveReason,
  ResultDetails,
  SessionResult,
} from '../../contract/api-types';
import {
  FEEDBACK_CODES,
  SESSION_ID,
  SESSION_TTL_SECONDS,
  isTerminalStatus,
  type FeedbackCode,
} from '../../contract/liveness-model';
import type { Attester } from '../shared/attestation';
import { challengeReason } from '../shared/challenge-policy';
import type { PresignImage } from '../shared/clients';
import type { ChallengePolicy, HandlerConfig } from '../shared/config';
import { ApiError } from '../shared/errors';
import type { Caller } from '../shared/identity';
import { retryAfterSeconds } from '../shared/lockout';
import type { Telemetry } from '../shared/observability';
import type { SessionRecord, SessionRecords, Verdict } from '../shared/session-records';
import { buildDetails } from './details';

export function parseSessionId(
  pathParameters: Readonly<Record<string, string | undefined>> | null | undefined,
): string {
  const sessionId = pathParameters?.sessionId;
  if (typeof sessionId !== 'string' || !SESSION_ID.pattern.test(sessionId)) {
    throw new ApiError(
      'VALIDATION_ERROR',
      'sessionId must be a session id as returned by POST /sessions (a lowercase UUID).',
    );
  }
  return sessionId;
}

export interface GetResultDeps {
  readonly rekognition: Pick<RekognitionClient, 'send'>;
  readonly sessions: Pick<
    SessionRecords,
    'getSession' | 'isConsumed' | 'recordVerdict' | 'countFailure' | 'lockedUntil'
  >;
  readonly config: Pick<
    HandlerConfig,
    'confidenceThreshold' | 'exposeDetails' | 'imageBucket' | 'imageKeyPrefix' | 'lockout' | 'challengePolicy'
  >;
  readonly presign: PresignImage;
  readonly telemetry: Telemetry;
  /** Epoch milliseconds. */
  readonly now: () => number;
  /** Signs a decided verdict (lambda/shared/attestation.ts); absent: results carry no attestation. */
  readonly attest?: Attester;
}

const NEW_SESSION = 'Start a new session to try again.';
const REASON_MESSAGES: Record<NotLiveReason, string> = {
  LOW_CONFIDENCE: `The liveness check did not pass. ${NEW_SESSION}`,
  MISSING_REFERENCE_IMAGE: `The check finished without a reference image. ${NEW_SESSION}`,
  SESSION_FAILED: `The liveness session failed. ${NEW_SESSION}`,
  SESSION_EXPIRED: `The liveness session expired (a session lasts ${SESSION_TTL_SECONDS / 60} minutes). ${NEW_SESSION}`,
  CHALLENGE_NOT_ALLOWED: `The session ran a challenge this backend does not accept. ${NEW_SESSION}`,
  CHALLENGE_VERSION_TOO_OLD: `The session ran a challenge version older than this backend accepts for that challenge. ${NEW_SESSION}`,
  CHALLENGE_MISSING: `Rekognition reported no challenge for the session, so it cannot be accepted. ${NEW_SESSION}`,
};
const PROVE_AGAIN = 'Start a new session to prove liveness again.';
const ATTESTATION_MESSAGES: Record<AttestationStatus, string> = {
  EXPIRED: `The attestation of this verdict has expired. ${PROVE_AGAIN}`,
  CONSUMED: `This verdict has been used. ${PROVE_AGAIN}`,
};

/**
 * The owner's result: `owner` is the caller's owner reference, `subject` the attestation's `sub` (Caller in
 * lambda/shared/identity.ts). Another caller's session answers exactly like an unknown one (same error, one table read and
 * nothing else), so ids cannot be probed; so does a record past its retention (`ttl`), whether or not DynamoDB has
 * deleted it yet. The first terminal status is decided here and stored once; every later read returns the stored
 * verdict, even after Rekognition has forgotten the session.
 */
export async function getResult(
  sessionId: string,
  owner: string,
  deps: GetResultDeps,
  subject: string = owner,
): Promise<SessionResult> {
  deps.telemetry.session(sessionId);
  const caller: Caller = { ref: owner, subject };
  const record = await deps.sessions.getSession(sessionId);
  if (record === undefined || record.owner !== owner || isGone(record, deps.now()))
    throw new ApiError('SESSION_NOT_FOUND');

  if (record.verdict !== undefined) {
    // A live verdict is never handed out while its owner is locked out, whenever the session was created.
    if (record.verdict.isLive) await refuseIfLocked(owner, deps);
    const details =
      deps.config.exposeDetails && record.verdict.isLive ? await storedSessionDetails(sessionId, deps) : undefined;
    return finished(
      sessionId,
      record.verdict,
      false,
      details,
      await attestation(record, record.verdict, false, caller, deps),
      deps.telemetry,
    );
  }

  const session = await deps.rekognition.send(new GetFaceLivenessSessionResultsCommand({ SessionId: sessionId }));
  const { Status: status } = session;
  if (status === 'CREATED' || status === 'IN_PROGRESS') {
    deps.telemetry.resultRead(status);
    return { sessionId, status, done: false };
  }
  if (!isTerminalStatus(status)) {
    throw new Error(`GetFaceLivenessSessionResults returned an unknown status ${JSON.stringify(status)}`);
  }

  const now = deps.now();
  const reason = notLiveReason(session, deps.config.confidenceThreshold, deps.config.challengePolicy);
  const reported = session.Challenge;
  const decided: Verdict = {
    status,
    isLive: reason === undefined,
    ...(reason !== undefined && { reason }),
    threshold: deps.config.confidenceThreshold,
    feedback: feedbackCodes(session, deps.telemetry),
    decidedAt: new Date(now).toISOString(),
    ...(reported?.Type !== undefined &&
      reported.Version !== undefined && { challenge: { type: reported.Type, version: reported.Version } }),
    // The verdict's one attestation is fixed now, with the verdict: it never outlives decidedAt + its lifetime.
    ...(deps.attest !== undefined && {
      attestation: { id: randomUUID(), expiresAt: Math.floor(now / 1000) + deps.attest.ttlSeconds },
    }),
  };
  // The attempt bound: a failure is counted BEFORE its verdict is recorded, and refused while the owner is locked out,
  // so no order of creates and reads decides more than the lockout's maximum of failures in a window; a live verdict
  // is not decided while the owner is locked out.
  if (decided.isLive) await refuseIfLocked(owner, deps);
  else await countFailedCheck(sessionId, owner, now, deps);
  const stored = await deps.sessions.recordVerdict(sessionId, owner, decided);
  if (stored === undefined) throw new ApiError('SESSION_NOT_FOUND');
  if (stored.verdict.isLive && !decided.isLive) await refuseIfLocked(owner, deps);
  const details =
    deps.config.exposeDetails && stored.verdict.isLive && status === 'SUCCEEDED'
      ? await buildDetails(session, deps)
      : undefined;
  return finished(
    sessionId,
    stored.verdict,
    stored.recorded,
    details,
    await attestation(record, stored.verdict, stored.recorded, caller, deps),
    deps.telemetry,
  );
}

/** Past its retention the record is gone: DynamoDB's TTL deletion may take days, so the time is compared here. */
function isGone(record: SessionRecord, now: number): boolean {
  return record.deleteAfterSeconds !== undefined && now >= record.deleteAfterSeconds * 1000;
}

type AttestationPart = { readonly token?: string; readonly status?: AttestationStatus };

/**
 * The verdict's one attestation: its claims (jti, iat, exp, nonce) were fixed when it was decided, so every read
 * within its lifetime gets the same attestation; none after it (EXPIRED) or once an app's backend has consumed the
 * verdict (CONSUMED). A verdict recorded by this very read cannot have been consumed yet, so it costs no extra read.
 */
async function attestation(
  record: SessionRecord,
  verdict: Verdict,
  justRecorded: boolean,
  caller: Caller,
  deps: GetResultDeps,
): Promise<AttestationPart> {
  if (deps.attest === undefined) return {};
  const fixed = verdict.attestation;
  // A verdict stored without one (decided before verdicts carried their attestation) is attested no more.
  if (fixed === undefined || deps.now() >= fixed.expiresAt * 1000) return { status: 'EXPIRED' };
  if (!justRecorded && (record.consumedInRecord === true || (await deps.sessions.isConsumed(record.sessionId))))
    return { status: 'CONSUMED' };
  const token = await deps.attest.sign({
    sub: caller.subject,
    sid: record.sessionId,
    ...(record.nonce !== undefined && { nonce: record.nonce }),
    live: verdict.isLive,
    ...(verdict.reason !== undefined && { reason: verdict.reason }),
    ...(verdict.challenge !== undefined && { challenge: verdict.challenge }),
    threshold: verdict.threshold,
    decidedAt: verdict.decidedAt,
    iat: Math.floor(Date.parse(verdict.decidedAt) / 1000),
    exp: fixed.expiresAt,
    jti: fixed.id,
  });
  return { token };
}

/** 429 LOCKED_OUT with Retry-After while the owner is locked out (the lockout off: never). */
async function refuseIfLocked(owner: string, deps: GetResultDeps): Promise<void> {
  if (deps.config.lockout.maxFailures <= 0) return;
  const lockedUntil = await deps.sessions.lockedUntil(owner);
  const now = deps.now();
  if (lockedUntil > now) throw lockedOut(lockedUntil, now);
}

/**
 * Counts the failure (once per session) before the verdict is stored. A failure here fails the read, so the client
 * retries and the failure is counted, rather than silently lost; a refused one (owner locked) is a 429.
 */
async function countFailedCheck(sessionId: string, owner: string, now: number, deps: GetResultDeps): Promise<void> {
  const counted = await deps.sessions.countFailure(owner, { sessionId, failedAt: now }, now, deps.config.lockout);
  if (counted?.refused) throw lockedOut(counted.lockedUntil, now);
  if (counted?.lockStarted) deps.telemetry.lockoutStarted(Math.round((counted.lockedUntil - now) / 1000));
}

function lockedOut(lockedUntil: number, now: number): ApiError {
  return new ApiError('LOCKED_OUT', undefined, { retryAfterSeconds: retryAfterSeconds(lockedUntil, now) });
}

function finished(
  sessionId: string,
  verdict: Verdict,
  recorded: boolean,
  details: ResultDetails | undefined,
  attestation: AttestationPart,
  telemetry: Telemetry,
): FinishedResult {
  telemetry.resultRead(verdict.status, {
    isLive: verdict.isLive,
    recorded,
    ...(verdict.reason !== undefined && { reason: verdict.reason }),
    ...(verdict.feedback.length > 0 && { feedback: verdict.feedback }),
  });
  return {
    sessionId,
    status: verdict.status,
    done: true,
    isLive: verdict.isLive,
    feedback: [...verdict.feedback],
    ...(attestation.status !== undefined && {
      attestationStatus: attestation.status,
      message: ATTESTATION_MESSAGES[attestation.status],
    }),
    ...(verdict.reason !== undefined && { reason: verdict.reason, message: REASON_MESSAGES[verdict.reason] }),
    ...(verdict.challenge !== undefined && { challenge: verdict.challenge }),
    ...(attestation.token !== undefined && { attestation: attestation.token }),
    ...(details !== undefined && { details }),
  };
}

/**
 * exposeDetails on a session decided earlier: the verdict is stored, the score and images are not, so they come from
 * Rekognition while it still has them, best effort. The verdict never depends on this call.
 */
async function storedSessionDetails(sessionId: string, deps: GetResultDeps): Promise<ResultDetails | undefined> {
  try {
    const session = await deps.rekognition.send(new GetFaceLivenessSessionResultsCommand({ SessionId: sessionId }));
    return session.Status === 'SUCCEEDED' ? await buildDetails(session, deps) : undefined;
  } catch (error) {
    deps.telemetry.warn('Details of a decided session not available', {
      error: error instanceof Error ? error.name.slice(0, 64) : 'unknown',
    });
    return undefined;
  }
}

function notLiveReason(
  session: GetFaceLivenessSessionResultsResponse,
  threshold: number,
  policy: ChallengePolicy,
): NotLiveReason | undefined {
  if (session.Status === 'FAILED') return 'SESSION_FAILED';
  if (session.Status === 'EXPIRED') return 'SESSION_EXPIRED';
  // The server's challenge policy: the challenge the session actually ran, not the one the client asked for.
  const challenge = challengeReason(session.Challenge, policy);
  if (challenge !== undefined) return challenge;
  // AWS: without a reference image the result cannot be used; the check must be done again.
  if (!hasImage(session.ReferenceImage)) return 'MISSING_REFERENCE_IMAGE';
  // A missing score is not a pass. Equal to the threshold passes ("at or above").
  return typeof session.Confidence === 'number' && session.Confidence >= threshold ? undefined : 'LOW_CONFIDENCE';
}

function hasImage(image: GetFaceLivenessSessionResultsResponse['ReferenceImage']): boolean {
  return (
    (image?.Bytes !== undefined && image.Bytes.length > 0) ||
    (image?.S3Object?.Name !== undefined && image.S3Object.Name !== '')
  );
}

/**
 * Only the codes this API documents. A code AWS adds later is left out (and logged) until it is added to
 * FEEDBACK_CODES, so typed clients can rely on an exhaustive list and show a translated hint for each code.
 */
function feedbackCodes(
  session: GetFaceLivenessSessionResultsResponse,
  telemetry: Pick<Telemetry, 'warn'>,
): FeedbackCode[] {
  const codes: FeedbackCode[] = [];
  for (const item of session.Feedback ?? []) {
    const code = item.Code as string | undefined;
    if (code === undefined) continue;
    if ((FEEDBACK_CODES as readonly string[]).includes(code)) {
      if (!codes.includes(code as FeedbackCode)) codes.push(code as FeedbackCode);
    } else {
      telemetry.warn('Unknown feedback code left out of the result', { feedbackCode: code.slice(0, 64) });
    }
  }
  return codes;
}
