/**
 * GET /sessions/{sessionId}/result: read the session and decide the verdict here, on the server, once. The confidence
 * score stays on the server unless the operator turned exposeDetails on, and is never stored.
 */
import {
  GetFaceLivenessSessionResultsCommand,
  type GetFaceLivenessSessionResultsResponse,
  type RekognitionClient,
} from '@aws-sdk/client-rekognition';
import type { FinishedResult, NotLiveReason, ResultDetails, SessionResult } from '../../contract/api-types';
import { FEEDBACK_CODES, SESSION_ID, SESSION_TTL_SECONDS, isTerminalStatus, type FeedbackCode } from '../../contract/liveness-model';
import type { PresignImage } from '../shared/clients';
import type { HandlerConfig } from '../shared/config';
import { ApiError } from '../shared/errors';
import type { Telemetry } from '../shared/observability';
import type { SessionRecords, Verdict } from '../shared/session-records';
import { buildDetails } from './details';

export function parseSessionId(pathParameters: Readonly<Record<string, string | undefined>> | null | undefined): string {
  const sessionId = pathParameters?.sessionId;
  if (typeof sessionId !== 'string' || !SESSION_ID.pattern.test(sessionId)) {
    throw new ApiError('VALIDATION_ERROR', 'sessionId must be a session id as returned by POST /sessions (a lowercase UUID).');
  }
  return sessionId;
}

export interface GetResultDeps {
  readonly rekognition: Pick<RekognitionClient, 'send'>;
  readonly sessions: Pick<SessionRecords, 'getSession' | 'recordVerdict' | 'countFailure'>;
  readonly config: Pick<HandlerConfig, 'confidenceThreshold' | 'exposeDetails' | 'imageBucket' | 'imageKeyPrefix' | 'lockout'>;
  readonly presign: PresignImage;
  readonly telemetry: Telemetry;
  /** Epoch milliseconds. */
  readonly now: () => number;
}

const NEW_SESSION = 'Start a new session to try again.';
const REASON_MESSAGES: Record<NotLiveReason, string> = {
  LOW_CONFIDENCE: `The liveness check did not pass. ${NEW_SESSION}`,
  MISSING_REFERENCE_IMAGE: `The check finished without a reference image. ${NEW_SESSION}`,
  SESSION_FAILED: `The liveness session failed. ${NEW_SESSION}`,
  SESSION_EXPIRED: `The liveness session expired (a session lasts ${SESSION_TTL_SECONDS / 60} minutes). ${NEW_SESSION}`,
};

/**
 * The owner's result. Another caller's session answers exactly like an unknown one (same error, one table read and
 * nothing else), so ids cannot be probed. The first terminal status is decided here and stored once; every later read
 * returns the stored verdict, even after Rekognition has forgotten the session.
 */
export async function getResult(sessionId: string, owner: string, deps: GetResultDeps): Promise<SessionResult> {
  deps.telemetry.session(sessionId);
  const record = await deps.sessions.getSession(sessionId);
  if (record === undefined || record.owner !== owner) throw new ApiError('SESSION_NOT_FOUND');

  if (record.verdict !== undefined) {
    await countIfFailed(sessionId, owner, record.verdict, deps);
    const details = deps.config.exposeDetails && record.verdict.status === 'SUCCEEDED' ? await storedSessionDetails(sessionId, deps) : undefined;
    return finished(sessionId, record.verdict, false, details, deps.telemetry);
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

  const reason = notLiveReason(session, deps.config.confidenceThreshold);
  const decided: Verdict = {
    status,
    isLive: reason === undefined,
    ...(reason !== undefined && { reason }),
    threshold: deps.config.confidenceThreshold,
    feedback: feedbackCodes(session, deps.telemetry),
    decidedAt: new Date(deps.now()).toISOString(),
  };
  const stored = await deps.sessions.recordVerdict(sessionId, owner, decided);
  if (stored === undefined) throw new ApiError('SESSION_NOT_FOUND');
  await countIfFailed(sessionId, owner, stored.verdict, deps);
  const details = deps.config.exposeDetails && stored.verdict.status === 'SUCCEEDED' && status === 'SUCCEEDED' ? await buildDetails(session, deps) : undefined;
  return finished(sessionId, stored.verdict, stored.recorded, details, deps.telemetry);
}

/**
 * Every read of a failed session within the lockout window makes sure it was counted (the count is idempotent per
 * session): if the reader that recorded the verdict died before counting, the next read counts it. A failure here
 * fails the read, so the client retries and the failure is counted, rather than silently lost.
 */
async function countIfFailed(sessionId: string, owner: string, verdict: Verdict, deps: GetResultDeps): Promise<void> {
  if (verdict.isLive) return;
  const counted = await deps.sessions.countFailure(owner, { sessionId, failedAt: Date.parse(verdict.decidedAt) }, deps.now(), deps.config.lockout);
  if (counted?.lockStarted) deps.telemetry.lockoutStarted(Math.round((counted.lockedUntil - deps.now()) / 1000));
}

function finished(sessionId: string, verdict: Verdict, recorded: boolean, details: ResultDetails | undefined, telemetry: Telemetry): FinishedResult {
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
    ...(verdict.reason !== undefined && { reason: verdict.reason, message: REASON_MESSAGES[verdict.reason] }),
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
    deps.telemetry.warn('Details of a decided session not available', { error: error instanceof Error ? error.name.slice(0, 64) : 'unknown' });
    return undefined;
  }
}

function notLiveReason(session: GetFaceLivenessSessionResultsResponse, threshold: number): NotLiveReason | undefined {
  if (session.Status === 'FAILED') return 'SESSION_FAILED';
  if (session.Status === 'EXPIRED') return 'SESSION_EXPIRED';
  // AWS: without a reference image the result cannot be used; the check must be done again.
  if (!hasImage(session.ReferenceImage)) return 'MISSING_REFERENCE_IMAGE';
  // A missing score is not a pass. Equal to the threshold passes ("at or above").
  return typeof session.Confidence === 'number' && session.Confidence >= threshold ? undefined : 'LOW_CONFIDENCE';
}

function hasImage(image: GetFaceLivenessSessionResultsResponse['ReferenceImage']): boolean {
  return (image?.Bytes !== undefined && image.Bytes.length > 0) || (image?.S3Object?.Name !== undefined && image.S3Object.Name !== '');
}

/**
 * Only the codes this API documents. A code AWS adds later is left out (and logged) until it is added to
 * FEEDBACK_CODES, so typed clients can rely on an exhaustive list and show a translated hint for each code.
 */
function feedbackCodes(session: GetFaceLivenessSessionResultsResponse, telemetry: Pick<Telemetry, 'warn'>): FeedbackCode[] {
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
