/**
 * GET /sessions/{sessionId}/result: read the session and decide the verdict here, on the server. The confidence
 * score stays on the server unless the operator turned exposeDetails on.
 */
import {
  GetFaceLivenessSessionResultsCommand,
  type GetFaceLivenessSessionResultsResponse,
  type RekognitionClient,
} from '@aws-sdk/client-rekognition';
import type { FinishedResult, NotLiveReason, SessionResult } from '../../common/api-types';
import { FEEDBACK_CODES, SESSION_ID, SESSION_TTL_SECONDS, type FeedbackCode } from '../../common/limits';
import type { PresignImage } from '../commons/clients';
import type { HandlerConfig } from '../commons/config';
import { ApiError } from '../commons/errors';
import type { Telemetry } from '../commons/observability';
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
  readonly config: Pick<HandlerConfig, 'confidenceThreshold' | 'exposeDetails' | 'imageBucket' | 'imageKeyPrefix'>;
  readonly presign: PresignImage;
  readonly telemetry: Telemetry;
}

const NEW_SESSION = 'Start a new session to try again.';
const REASON_MESSAGES: Record<NotLiveReason, string> = {
  LOW_CONFIDENCE: `The liveness check did not pass. ${NEW_SESSION}`,
  MISSING_REFERENCE_IMAGE: `The check finished without a reference image. ${NEW_SESSION}`,
  SESSION_FAILED: `The liveness session failed. ${NEW_SESSION}`,
  SESSION_EXPIRED: `The liveness session expired (a session lasts ${SESSION_TTL_SECONDS / 60} minutes). ${NEW_SESSION}`,
};

export async function getResult(sessionId: string, deps: GetResultDeps): Promise<SessionResult> {
  deps.telemetry.session(sessionId);
  const session = await deps.rekognition.send(new GetFaceLivenessSessionResultsCommand({ SessionId: sessionId }));
  const { Status: status } = session;

  if (status === 'CREATED' || status === 'IN_PROGRESS') {
    deps.telemetry.resultRead(status);
    return { sessionId, status, done: false };
  }
  if (status !== 'SUCCEEDED' && status !== 'FAILED' && status !== 'EXPIRED') {
    throw new Error(`GetFaceLivenessSessionResults returned an unknown status ${JSON.stringify(status)}`);
  }

  const reason = notLiveReason(session, deps.config.confidenceThreshold);
  const result: FinishedResult = {
    sessionId,
    status,
    done: true,
    isLive: reason === undefined,
    feedback: feedbackCodes(session, deps.telemetry),
    ...(reason !== undefined && { reason, message: REASON_MESSAGES[reason] }),
    ...(deps.config.exposeDetails && status === 'SUCCEEDED' && { details: await buildDetails(session, deps) }),
  };
  // Last, so that a failure above never leaves a verdict metric next to an error metric.
  deps.telemetry.resultRead(status, { isLive: result.isLive, ...(reason !== undefined && { reason }) });
  return result;
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
