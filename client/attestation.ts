/**
 * Verifying a verdict's attestation in an app's backend (or a browser): a compact JWS, ES256, signed by the backend's
 * KMS key, checked with `jose` against the API's JWK Set (`GET /.well-known/jwks.json`). Checks the signature, the
 * algorithm, the issuer, the expiry and, when given, the expected owner and session; by default also that it is live.
 *
 * Verifying is not consuming: the same token verifies until it expires. To accept each verdict once, consume it
 * (lib/consume.ts: `consumeVerdict`, one conditional write) after verifying.
 */
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { AttestationClaims } from '../contract/attestation';

export interface VerifyAttestationOptions {
  /** The JWK Set: its URL (fetched and cached by `jose`), or the set itself. */
  readonly jwks: string | URL | JSONWebKeySet;
  /** The issuer the backend signs as (its `attestationIssuer` setting). */
  readonly issuer: string;
  /** The owner the verdict must be for (as the backend identifies callers, e.g. `cognito:<identityId>`). */
  readonly expectedOwner?: string;
  /** The session the verdict must be for. */
  readonly expectedSessionId?: string;
  /** Also accept a verdict that is not live. @default false */
  readonly allowNotLive?: boolean;
  /** Clock skew allowed on `exp` and `iat`, seconds. @default 5 */
  readonly clockToleranceSeconds?: number;
  /** For tests: the time to verify at. @default now */
  readonly currentDate?: Date;
}

export type AttestationErrorCode =
  | 'INVALID_SIGNATURE'
  | 'EXPIRED'
  | 'WRONG_ISSUER'
  | 'WRONG_OWNER'
  | 'WRONG_SESSION'
  | 'NOT_LIVE'
  | 'MALFORMED';

export class AttestationError extends Error {
  override readonly name = 'AttestationError';
  constructor(
    readonly code: AttestationErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The verified claims, or an AttestationError saying why not. */
export async function verifyAttestation(token: string, options: VerifyAttestationOptions): Promise<AttestationClaims> {
  const keys =
    typeof options.jwks === 'string' || options.jwks instanceof URL
      ? remoteSet(new URL(options.jwks.toString()))
      : createLocalJWKSet(options.jwks);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      algorithms: ['ES256'],
      issuer: options.issuer,
      requiredClaims: ['iss', 'sub', 'sid', 'live', 'iat', 'exp', 'jti', 'threshold'],
      clockTolerance: options.clockToleranceSeconds ?? 5,
      ...(options.currentDate !== undefined && { currentDate: options.currentDate }),
    }));
  } catch (error) {
    throw mapError(error);
  }
  const claims = payload as unknown as AttestationClaims;
  if (typeof claims.sid !== 'string' || typeof claims.live !== 'boolean' || typeof claims.threshold !== 'number') {
    throw new AttestationError('MALFORMED', 'The attestation lacks a session id, verdict or threshold.');
  }
  if (options.expectedOwner !== undefined && claims.sub !== options.expectedOwner)
    throw new AttestationError('WRONG_OWNER', 'The attestation is for another owner.');
  if (options.expectedSessionId !== undefined && claims.sid !== options.expectedSessionId)
    throw new AttestationError('WRONG_SESSION', 'The attestation is for another session.');
  if (!claims.live && options.allowNotLive !== true)
    throw new AttestationError('NOT_LIVE', 'The attested verdict is not live.');
  return claims;
}

const remoteSets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
function remoteSet(url: URL): ReturnType<typeof createRemoteJWKSet> {
  let set = remoteSets.get(url.href);
  if (set === undefined) {
    set = createRemoteJWKSet(url);
    remoteSets.set(url.href, set);
  }
  return set;
}

function mapError(error: unknown): AttestationError {
  if (error instanceof errors.JWTExpired)
    return new AttestationError('EXPIRED', 'The attestation has expired.', { cause: error });
  if (error instanceof errors.JWTClaimValidationFailed) {
    return error.claim === 'iss'
      ? new AttestationError('WRONG_ISSUER', 'The attestation is from another issuer.', { cause: error })
      : new AttestationError('MALFORMED', `The attestation's ${error.claim} claim is not valid.`, { cause: error });
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
    return new AttestationError('INVALID_SIGNATURE', 'The attestation was not signed by this backend.', {
      cause: error,
    });
  }
  return new AttestationError('MALFORMED', 'The attestation is not a valid ES256 JWS.', { cause: error });
}
