/**
 * The typed client of the Face Liveness API, for browsers and Node. The request/response types are the shared
 * contract in `common/`, re-exported so an app needs one import.
 */
export { createLivenessClient } from './liveness-client';
export type { LivenessClient, LivenessClientOptions, PollEvent, RequestOptions, WaitForResultOptions } from './liveness-client';
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
export { createSigV4Signer, regionFromApiUrl } from './sigv4';
export type { AwsCredentials, CredentialsProvider, RequestSigner, SignableRequest, SigV4SignerOptions } from './sigv4';
export { cognitoGuestCredentials } from './cognito';
export { AttestationError, verifyAttestation } from './attestation';
export type { AttestationErrorCode, VerifyAttestationOptions } from './attestation';
export type { AttestationClaims } from '../common/attestation';
export { JWKS_PATH } from '../common/attestation';
export type { CognitoGuestCredentialsOptions } from './cognito';
export type { BackoffOptions, Clock } from './timing';
export type {
  CreateSessionRequest,
  CreateSessionResponse,
  FinishedResult,
  NotLiveReason,
  PendingResult,
  ResultDetails,
  SessionResult,
} from '../common/api-types';
export type { ErrorBody, ErrorCode } from '../common/error-codes';
export { ERROR_CODES } from '../common/error-codes';
export { CHALLENGE_TYPES, SESSION_TTL_SECONDS } from '../common/limits';
export type { ChallengeType, FeedbackCode } from '../common/limits';
