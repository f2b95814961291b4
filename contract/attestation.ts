/**
 * The attestation of a verdict: the claims of the compact JWS (ES256) every decided result carries, shared by the
 * handler that signs it and the client helper that verifies it. README: "What a verdict proves, and what it does not".
 */
import type { NotLiveReason } from './api-types';
import type { MatchClaim } from './identity';

/** Where the API serves its public keys as a JWK Set: unauthenticated, cacheable. */
export const JWKS_PATH = '/.well-known/jwks.json';

/** Seconds verifiers and caches may keep the JWK Set. */
export const JWKS_MAX_AGE_SECONDS = 3600;

/**
 * The JWS `typ` header of an attestation (RFC 8725 §3.11 explicit typing): a verifier that requires it cannot be
 * handed some other JWT signed by the same key, nor an attestation taken for another kind of token.
 */
export const ATTESTATION_TYPE = 'face-liveness-verdict+jwt';

export interface AttestationClaims {
  /** The backend that decided (the `attestationIssuer` setting). */
  readonly iss: string;
  /**
   * The session's owner, never a credential: with user-pool authorization the user pool's `sub` (what the app's
   * backend knows its user by); otherwise the owner reference, an opaque per-deployment keyed hash of the caller's
   * identity (lambda/shared/identity.ts) from which no identity id, address or credential can be recovered. To bind
   * a verdict to your own user or transaction, use `nonce`.
   */
  readonly sub: string;
  /** The app the attestation is for (the `attestation.audience` prop), when one is configured. */
  readonly aud?: string;
  /** The `nonce` the create request carried, when it carried one. */
  readonly nonce?: string;
  /** The session id. */
  readonly sid: string;
  readonly live: boolean;
  /** Why not live, when not. */
  readonly reason?: NotLiveReason;
  /** The challenge Rekognition reported the session ran, when it reported one. */
  readonly challenge?: { readonly type: string; readonly version: string };
  /** The confidence threshold the verdict was decided with. */
  readonly threshold: number;
  /** ISO-8601 time of the verdict. */
  readonly decidedAt: string;
  /** Epoch seconds: when the verdict was decided (each verdict has one attestation, issued then). */
  readonly iat: number;
  /** Epoch seconds: `iat` + `attestationTtlSeconds` (default 300). After it the verdict is attested no more. */
  readonly exp: number;
  /** The one attestation of this verdict: every read of the result within its lifetime returns this same `jti`. */
  readonly jti: string;
  /**
   * The identity check's outcome, when the session was created with one: method, matched, the similarity threshold
   * and the app's own subject id (never a similarity). Verify liveness and identity with this one signature.
   */
  readonly match?: MatchClaim;
}
