/**
 * Verifying a verdict's attestation in an app's backend (or a browser): a compact JWS, ES256, signed by the backend's
 * KMS key, checked with `jose` against the API's JWK Set (`GET /.well-known/jwks.json`). Checks the signature, the
 * algorithm, the JWS type (`face-liveness-verdict+jwt`), the issuer, the expiry and, when given, the audience, the
 * nonce, the verdict's age, the expected owner and session; by default also that it is live; and, for a session that
 * carried an identity check, the subject and the match (`expectedSubject`, `requireMatch`).
 *
 * Verifying is not consuming: the verdict's one attestation verifies until it expires. To accept each verdict once,
 * consume it (`consumeVerdict` in the `face-liveness-backend/server` entry, one conditional write) after verifying.
 */
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { ATTESTATION_TYPE, type AttestationClaims } from '../contract/attestation';
import { IDENTITY_METHODS, type IdentityMethod } from '../contract/identity';

export interface VerifyAttestationOptions {
  /** The JWK Set: its URL (fetched and cached by `jose`), or the set itself. */
  readonly jwks: string | URL | JSONWebKeySet;
  /** The issuer the backend signs as (its `attestationIssuer` setting). */
  readonly issuer: string;
  /**
   * The `aud` the attestation must carry: your app's name as the backend's `attestation.audience` prop sets it. Give
   * it whenever the backend sets one: without it a token made for another app of the same issuer verifies too.
   */
  readonly audience?: string;
  /**
   * The `nonce` your backend issued for this user or transaction and passed to POST /sessions: the attestation must
   * echo exactly this value. This is how a verdict is bound to your user: `sub` is an opaque owner reference.
   */
  readonly expectedNonce?: string;
  /** Refuse a verdict decided longer ago than this (from `decidedAt`), seconds. @default no bound beyond `exp` */
  readonly maxVerdictAgeSeconds?: number;
  /**
   * The `sub` the verdict must be for: with user-pool authorization the user pool's `sub`; otherwise an opaque owner
   * reference, only useful to compare with one seen before.
   */
  readonly expectedOwner?: string;
  /** The session the verdict must be for. */
  readonly expectedSessionId?: string;
  /** Also accept a verdict that is not live. @default false */
  readonly allowNotLive?: boolean;
  /**
   * The subject your backend opened the identity check for: the attestation's `match.subject` must be exactly this
   * (WRONG_SUBJECT), and an attestation without a match claim fails (NO_MATCH_CLAIM).
   */
  readonly expectedSubject?: string;
  /**
   * Require an identity match: `true` any method, or the method your backend opened the check with. No match claim
   * (or one of another method): NO_MATCH_CLAIM; a match claim that did not match (for `enrol`: not enrolled):
   * NOT_MATCHED. @default false: the claim, when present, is returned as it is, matched or not
   */
  readonly requireMatch?: boolean | IdentityMethod;
  /** Clock skew allowed on `exp` and `iat`, seconds. @default 5 */
  readonly clockToleranceSeconds?: number;
  /** For tests: the time to verify at. @default now */
  readonly currentDate?: Date;
}

export type AttestationErrorCode =
  | 'INVALID_SIGNATURE'
  | 'EXPIRED'
  | 'WRONG_ISSUER'
  | 'WRONG_AUDIENCE'
  | 'WRONG_NONCE'
  | 'TOO_OLD'
  | 'WRONG_OWNER'
  | 'WRONG_SESSION'
  | 'NOT_LIVE'
  | 'NO_MATCH_CLAIM'
  | 'WRONG_SUBJECT'
  | 'NOT_MATCHED'
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
      typ: ATTESTATION_TYPE,
      issuer: options.issuer,
      ...(options.audience !== undefined && { audience: options.audience }),
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
  if (options.expectedNonce !== undefined && claims.nonce !== options.expectedNonce)
    throw new AttestationError('WRONG_NONCE', 'The attestation is for another nonce (another user or transaction).');
  if (options.maxVerdictAgeSeconds !== undefined) {
    const decidedAt = typeof claims.decidedAt === 'string' ? Date.parse(claims.decidedAt) : Number.NaN;
    if (!Number.isFinite(decidedAt)) throw new AttestationError('MALFORMED', 'The attestation lacks decidedAt.');
    const now = (options.currentDate ?? new Date()).getTime();
    const tolerance = (options.clockToleranceSeconds ?? 5) * 1000;
    if (now - decidedAt > options.maxVerdictAgeSeconds * 1000 + tolerance)
      throw new AttestationError('TOO_OLD', 'The attested verdict is older than allowed.');
  }
  if (options.expectedOwner !== undefined && claims.sub !== options.expectedOwner)
    throw new AttestationError('WRONG_OWNER', 'The attestation is for another owner.');
  if (options.expectedSessionId !== undefined && claims.sid !== options.expectedSessionId)
    throw new AttestationError('WRONG_SESSION', 'The attestation is for another session.');
  if (!claims.live && options.allowNotLive !== true)
    throw new AttestationError('NOT_LIVE', 'The attested verdict is not live.');
  checkMatch(claims, options);
  return claims;
}

function checkMatch(claims: AttestationClaims, options: VerifyAttestationOptions): void {
  const { match } = claims;
  if (match !== undefined && !isMatchClaim(match)) {
    throw new AttestationError('MALFORMED', 'The attestation carries a match claim of the wrong shape.');
  }
  const required = options.requireMatch ?? false;
  if (match === undefined) {
    if (required !== false || options.expectedSubject !== undefined)
      throw new AttestationError('NO_MATCH_CLAIM', 'The attestation carries no identity match.');
    return;
  }
  if (typeof required === 'string' && match.method !== required) {
    throw new AttestationError(
      'NO_MATCH_CLAIM',
      `The attestation carries a match of method ${match.method}, not ${required}.`,
    );
  }
  if (options.expectedSubject !== undefined && match.subject !== options.expectedSubject)
    throw new AttestationError('WRONG_SUBJECT', "The attestation's match is for another subject.");
  if (required !== false && !match.matched) {
    throw new AttestationError(
      'NOT_MATCHED',
      match.method === 'enrol' ? 'The live face was not enrolled.' : 'The live face did not match.',
    );
  }
}

function isMatchClaim(value: unknown): value is NonNullable<AttestationClaims['match']> {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    (IDENTITY_METHODS as readonly unknown[]).includes(m['method']) &&
    typeof m['matched'] === 'boolean' &&
    typeof m['threshold'] === 'number' &&
    typeof m['subject'] === 'string' &&
    (m['reason'] === undefined || typeof m['reason'] === 'string')
  );
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
    if (error.claim === 'iss')
      return new AttestationError('WRONG_ISSUER', 'The attestation is from another issuer.', { cause: error });
    if (error.claim === 'aud')
      return new AttestationError('WRONG_AUDIENCE', 'The attestation is for another audience.', { cause: error });
    return new AttestationError('MALFORMED', `The attestation's ${error.claim} claim is not valid.`, { cause: error });
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
    return new AttestationError('INVALID_SIGNATURE', 'The attestation was not signed by this backend.', {
      cause: error,
    });
  }
  return new AttestationError('MALFORMED', 'The attestation is not a valid ES256 JWS.', { cause: error });
}
