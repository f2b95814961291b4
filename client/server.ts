/**
 * The `face-liveness-backend/server` entry: for an app's own backend in Node, never for a browser. `verifyAttestation`
 * checks a verdict's attestation (with `jose`); `consumeVerdict` accepts it once (it needs `@aws-sdk/client-dynamodb`,
 * an optional peer dependency: install it where you use it).
 */
export { AttestationError, verifyAttestation } from './attestation';
export type { AttestationErrorCode, VerifyAttestationOptions } from './attestation';
export type { AttestationClaims } from '../contract/attestation';
export { ATTESTATION_TYPE, JWKS_PATH } from '../contract/attestation';
export { consumeVerdict } from './consume-verdict';
export type { ConsumeVerdictInput } from './consume-verdict';
export { createIdentityChecks } from './identity-checks';
export type {
  IdentityChecks,
  IdentityChecksOptions,
  OpenIdentityCheckInput,
  ReferencePhotoInput,
} from './identity-checks';
export type {
  EraseSubjectResponse,
  IdentityMethod,
  IdentityResult,
  IdentityReason,
  MatchClaim,
  CreateIdentityCheckResponse,
} from '../contract/identity';
export { IDENTITY_METHODS, IDENTITY_REASONS } from '../contract/identity';
