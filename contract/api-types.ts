/** Request and response bodies of this API: the contract between the handlers, the local API and the typed client. */
import type { IdentityResult } from './identity';
import type { ChallengeType, FeedbackCode, TerminalStatus } from './liveness-model';

export interface CreateSessionRequest {
  /** Idempotency token: the same token returns the same session. 1–64 of `[a-zA-Z0-9-_]`. */
  readonly clientRequestToken?: string;
  /** Audit images to keep (0–4, best effort). The server's setting is a floor: asking for fewer gets that many. */
  readonly auditImagesLimit?: number;
  /** The challenge the user is shown; one the server allows (else 400). Default: the server's allowed ones, preferred first. */
  readonly challenge?: ChallengeType;
  /**
   * Your app's backend's value for its own user or transaction (1–256 printable ASCII characters): stored with the
   * session and echoed as the attestation's `nonce` claim, so that backend can check the verdict is for what it asked.
   */
  readonly nonce?: string;
  /**
   * The `checkToken` your app's backend got from `POST /identity/checks` (identity verification): binds that check to
   * this session, once. Refused (400 unknown field) when the backend has identity verification off.
   */
  readonly identityCheck?: string;
}

export interface CreateSessionResponse {
  readonly sessionId: string;
  /** The region the browser must stream to: pass it to FaceLivenessDetector as-is. */
  readonly region: string;
  /** ISO-8601 time after which the session can no longer be used. */
  readonly expiresAt: string;
}

/**
 * Why a finished check is not live: LOW_CONFIDENCE (SUCCEEDED, but the confidence is below the server's threshold),
 * MISSING_REFERENCE_IMAGE (SUCCEEDED, but Rekognition returned no reference image: AWS advises a new check),
 * SESSION_FAILED (e.g. the stream broke), SESSION_EXPIRED (the session passed its 3-minute life),
 * CHALLENGE_NOT_ALLOWED (the challenge the session ran, as Rekognition reports it, is not allowed by the server's
 * policy), CHALLENGE_VERSION_TOO_OLD (it ran an allowed challenge, at a version below the minimum the server sets for
 * that challenge), CHALLENGE_MISSING (Rekognition reported no challenge: the server cannot tell what was checked).
 */
export const NOT_LIVE_REASONS = [
  'LOW_CONFIDENCE',
  'MISSING_REFERENCE_IMAGE',
  'SESSION_FAILED',
  'SESSION_EXPIRED',
  'CHALLENGE_NOT_ALLOWED',
  'CHALLENGE_VERSION_TOO_OLD',
  'CHALLENGE_MISSING',
] as const;
export type NotLiveReason = (typeof NOT_LIVE_REASONS)[number];

/** The challenge a session ran, as Rekognition reported it. */
export interface ChallengeRun {
  readonly type: string;
  readonly version: string;
}

export interface BoundingBox {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly top: number;
}

export interface ImageDetails {
  readonly boundingBox?: BoundingBox;
  /** A short-lived presigned GET URL, when the image is stored in S3. */
  readonly url?: string;
  /** The image bytes, base64, when no bucket is configured. */
  readonly base64?: string;
}

/** Only present when the server runs with `exposeDetails` on. */
export interface ResultDetails {
  readonly confidence?: number;
  readonly referenceImage?: ImageDetails;
  readonly auditImages: readonly ImageDetails[];
}

export interface PendingResult {
  readonly sessionId: string;
  readonly status: 'CREATED' | 'IN_PROGRESS';
  readonly done: false;
}

export interface FinishedResult {
  readonly sessionId: string;
  readonly status: TerminalStatus;
  readonly done: true;
  /** The server's verdict: confidence compared with the server's threshold. */
  readonly isLive: boolean;
  /** Rekognition's feedback codes, to help the end user retry well. Empty when there are none. */
  readonly feedback: readonly FeedbackCode[];
  /** Present when `isLive` is false. */
  readonly reason?: NotLiveReason;
  /** Human-readable text for `reason`. */
  readonly message?: string;
  /** The challenge the session ran, when Rekognition reported one. */
  readonly challenge?: ChallengeRun;
  /**
   * The verdict signed by the backend (compact JWS, ES256; contract/attestation.ts): hand it to your app's backend,
   * which verifies it against `GET /.well-known/jwks.json` (server entry: verifyAttestation) and consumes it once.
   */
  readonly attestation?: string;
  /**
   * Why a decided result carries no attestation although the backend signs them: EXPIRED (the one attestation of
   * the verdict has passed its `exp`, `decidedAt` + the attestation lifetime) or CONSUMED (an app's backend has
   * consumed the verdict). Either way proving liveness again takes a new session (`message` says so).
   */
  readonly attestationStatus?: AttestationStatus;
  readonly details?: ResultDetails;
  /** The identity check's outcome, when the session was created with one (contract/identity.ts). */
  readonly identity?: IdentityResult;
}

export const ATTESTATION_STATUSES = ['EXPIRED', 'CONSUMED'] as const;
export type AttestationStatus = (typeof ATTESTATION_STATUSES)[number];

export type SessionResult = PendingResult | FinishedResult;
