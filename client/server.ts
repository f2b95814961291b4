/**
 * The `face-liveness-backend/server` entry: helpers for an app's own backend in Node, never for a browser: consuming a
 * verdict (it needs `@aws-sdk/client-dynamodb`, an optional peer dependency: install it where you use it), opening
 * identity checks and erasing subjects (signed with the app backend's own credentials), and verifying attestations
 * with their identity match (`verifyAttestation` is also in the `face-liveness-backend/client` entry).
 */
export { consumeVerdict } from './consume-verdict';
export type { ConsumeVerdictInput } from './consume-verdict';
export { createIdentityChecks } from './identity-checks';
export type {
  IdentityChecks,
  IdentityChecksOptions,
  OpenIdentityCheckInput,
  ReferencePhotoInput,
} from './identity-checks';
export { AttestationError, verifyAttestation } from './attestation';
export type { AttestationErrorCode, VerifyAttestationOptions } from './attestation';
export type {
  EraseSubjectResponse,
  IdentityMethod,
  IdentityResult,
  IdentityReason,
  MatchClaim,
  CreateIdentityCheckResponse,
} from '../contract/identity';
export { IDENTITY_METHODS, IDENTITY_REASONS } from '../contract/identity';
