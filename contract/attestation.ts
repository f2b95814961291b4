/**
 * The attestation of a verdict: the claims of the compact JWS (ES256) every decided result carries, shared by the
 * handler that signs it and the client helper that verifies it. README: "What a verdict proves, and what it does not".
 */
import type { NotLiveReason } from './api-types';

/** Where the API serves its public keys as a JWK Set: unauthenticated, cacheable. */
export const JWKS_PATH = '/.well-known/jwks.json';

/** Seconds verifiers and caches may keep the JWK Set. */
export const JWKS_MAX_AGE_SECONDS = 3600;

export interface AttestationClaims {
  /** The backend that decided (the `attestationIssuer` setting). */
  readonly iss: string;
  /** The session's owner, as the backend identifies callers (e.g. `cognito:<identityId>`). */
  readonly sub: string;
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
  /** Epoch seconds. */
  readonly iat: number;
  /** Epoch seconds: short-lived (`attestationTtlSeconds`, default 300). */
  readonly exp: number;
  /** Unique per attestation: what a consumer marks as used. */
  readonly jti: string;
}
