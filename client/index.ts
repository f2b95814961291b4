/**
 * The typed client of the Face Liveness API, for browsers and Node. The request/response types are the shared
 * contract in `contract/`, re-exported so an app needs one import. Verifying and consuming a verdict is for an app's
 * own backend: `verifyAttestation` and `consumeVerdict` are in the `face-liveness-backend/server` entry, so no
 * browser bundle carries their dependencies.
 */
export { createLivenessClient } from './liveness-client';
export type {
  LivenessClient,
  LivenessClientOptions,
  PollEvent,
  RequestOptions,
  WaitForResultOptions,
} from './liveness-client';
export {
  LivenessApiError,
  LivenessCredentialsError,
  LivenessError,
  LivenessNetworkError,
  LivenessResponseError,
  LivenessTimeoutError,
  LivenessValidationError,
} from './errors';
export type { LivenessErrorKind, LivenessTimeoutReason } from './errors';
export { createRequestSigner, regionFromApiUrl } from './request-signer';
export type {
  AwsCredentials,
  CredentialsProvider,
  RequestSigner,
  SignableRequest,
  RequestSignerOptions,
} from './request-signer';
export { cognitoGuestCredentials } from './cognito';
export type { AttestationClaims } from '../contract/attestation';
export { ATTESTATION_TYPE, JWKS_PATH } from '../contract/attestation';
export type { CognitoGuestCredentialsOptions } from './cognito';
export type { BackoffOptions, Clock } from './timing';
export type {
  AttestationStatus,
  CreateSessionRequest,
  CreateSessionResponse,
  FinishedResult,
  NotLiveReason,
  PendingResult,
  ResultDetails,
  SessionResult,
} from '../contract/api-types';
export type { IdentityMethod, IdentityResult, IdentityReason, MatchClaim } from '../contract/identity';
export type { ErrorBody, ErrorCode } from '../contract/error-codes';
export { ERROR_CODES } from '../contract/error-codes';
export { CHALLENGE_TYPES, SESSION_TTL_SECONDS } from '../contract/liveness-model';
export type { ChallengeType, FeedbackCode } from '../contract/liveness-model';
