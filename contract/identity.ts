/**
 * Identity verification: the live face of a session matched, on the server, against a reference photo (an ID
 * document) or against the face enrolled for a subject, and the outcome decided and attested with the verdict.
 *
 * An app's backend (IAM-signed, never the browser) opens an identity check for its own subject with
 * `POST /identity/checks` and gets a one-time `checkToken`; its browser passes the token as `identityCheck` in
 * `POST /sessions`, which binds the check to the new session once. When the result function decides the verdict, it
 * runs the check's Rekognition calls only if the verdict is live, on the liveness reference image it fetched itself,
 * and stores the outcome with the verdict in the same conditional write. The browser never names the photo, the
 * subject or the method: it only carries the opaque token.
 *
 * The one definition shared by the handlers, the construct, local mode, the typed client and the docs.
 */

/**
 * - `reference`: 1:1, the live face against the reference photo the app's backend gave (CompareFaces).
 * - `enrol`: the live face is indexed for the subject (IndexFaces), replacing its earlier face, after a duplicate
 *   check (SearchFacesByImage: this face already enrolled for another subject is not enrolled). `matched` means
 *   enrolled.
 * - `enrolled`: 1:N, the live face searched in the collection (SearchFacesByImage); matched only when the best face at
 *   or above the threshold is the subject's own.
 */
export const IDENTITY_METHODS = ['reference', 'enrol', 'enrolled'] as const;
export type IdentityMethod = (typeof IDENTITY_METHODS)[number];

/**
 * Why an identity check did not match (or, for `enrol`, did not enrol):
 * NOT_LIVE (the liveness verdict is not live: no comparison is made, whatever the photo),
 * NO_FACE_IN_REFERENCE (the reference photo has no face), MULTIPLE_FACES (it has two or more),
 * REFERENCE_PHOTO_UNREADABLE (not a JPEG or PNG, too large, too small, or the object cannot be read),
 * NO_FACE_IN_LIVENESS_IMAGE (Rekognition finds no face in the session's reference image),
 * BELOW_THRESHOLD (no face at or above the threshold), SUBJECT_NOT_ENROLLED (the subject has no enrolled face),
 * ANOTHER_SUBJECT (the best face at or above the threshold is another subject's),
 * FACE_ENROLLED_FOR_ANOTHER_SUBJECT (enrol: this face is already enrolled for another subject),
 * CHECK_NOT_FOUND (the check was erased, or expired, before the verdict was decided).
 */
export const IDENTITY_REASONS = [
  'NOT_LIVE',
  'NO_FACE_IN_REFERENCE',
  'MULTIPLE_FACES',
  'REFERENCE_PHOTO_UNREADABLE',
  'NO_FACE_IN_LIVENESS_IMAGE',
  'BELOW_THRESHOLD',
  'SUBJECT_NOT_ENROLLED',
  'ANOTHER_SUBJECT',
  'FACE_ENROLLED_FOR_ANOTHER_SUBJECT',
  'CHECK_NOT_FOUND',
] as const;
export type IdentityReason = (typeof IDENTITY_REASONS)[number];

/** An app's own id of its user: opaque to this backend, never sent to Rekognition or used in an S3 key as is. */
export const SUBJECT = { minLength: 1, maxLength: 128, pattern: /^[A-Za-z0-9_.:-]+$/ } as const;

/** The one-time token of an identity check: 32 random bytes, base64url (43 characters). */
export const CHECK_TOKEN = { length: 43, pattern: /^[A-Za-z0-9_-]{43}$/ } as const;

/** Similarity thresholds (0–100, Rekognition's scale): AWS advises 99 for identity-sensitive matching. */
export const SIMILARITY_RANGE = { min: 0, max: 100 } as const;
export const DEFAULT_SIMILARITY_THRESHOLD = 99;
/** Below this the construct warns at synth: 80, Rekognition's own default, is too low to tell people apart. */
export const SIMILARITY_WARNING_BELOW = 90;

/** How long an unbound check waits for its session, seconds. */
export const CHECK_TTL_SECONDS = { min: 60, max: 3600, default: 600 } as const;

/** Rekognition's image limits (docs/rekognition-facts.md): bytes, S3 objects, and the smallest face it detects. */
export const REFERENCE_PHOTO_LIMITS = {
  maxBytes: 5 * 1024 * 1024,
  maxS3Bytes: 15 * 1024 * 1024,
  minFacePixels: 40,
} as const;

/**
 * The largest `POST /identity/checks` body: a synchronous Lambda invocation carries at most 6 MB, so a photo sent as
 * bytes (base64: 4/3 of its size) can be about 4.4 MB; larger photos go through S3 (`s3Object`, up to 15 MB).
 */
export const MAX_IDENTITY_CHECK_BODY_BYTES = 6_000_000;

/** Where the app's backend's reference photos are stored when it sends bytes: `<prefix><subjectRef>/<checkId>`. */
export const REFERENCE_PHOTO_KEY_PREFIX = 'reference-photos/';

/** An S3 object holding a reference photo, in a bucket and prefix the construct was told (`referencePhotoSources`). */
export interface ReferencePhotoObject {
  readonly bucket: string;
  readonly name: string;
  readonly version?: string;
}

export type ReferencePhoto =
  /** Base64 of a JPEG or PNG, at most 5 MB decoded. */
  { readonly bytes: string } | { readonly s3Object: ReferencePhotoObject };

/** `POST /identity/checks` (backend only: IAM-signed with a role granted by `grantIdentityChecks`). */
export interface CreateIdentityCheckRequest {
  readonly subject: string;
  readonly method: IdentityMethod;
  /** Required for `reference`, refused otherwise. */
  readonly referencePhoto?: ReferencePhoto;
  /** 0–100, never below the construct's `similarityThreshold` (the floor). Default: the floor. */
  readonly threshold?: number;
}

export interface CreateIdentityCheckResponse {
  /** Hand it to the browser, which passes it as `identityCheck` in `POST /sessions`; it binds one session, once. */
  readonly checkToken: string;
  /** ISO-8601: the check must be bound to a session before this. */
  readonly expiresAt: string;
}

/** `DELETE /identity/subjects/{subject}` (backend only): idempotent, an unknown subject gives zeros. */
export interface EraseSubjectResponse {
  readonly subject: string;
  readonly facesDeleted: number;
  readonly referencePhotosDeleted: number;
}

/** The identity part of a finished result (`GET /sessions/{id}/result`), decided and stored with the verdict. */
export interface IdentityResult {
  readonly method: IdentityMethod;
  /** The app's own subject id the check was opened for. */
  readonly subject: string;
  /** For `enrol`: enrolled. */
  readonly matched: boolean;
  /** Present when not matched. */
  readonly reason?: IdentityReason;
  /** The similarity threshold the outcome was decided with. */
  readonly threshold: number;
  /** Only with `exposeDetails`, and only on the read that decided the verdict: it is never stored. */
  readonly similarity?: number;
}

/** The attestation's `match` claim: no similarity, ever. */
export interface MatchClaim {
  readonly method: IdentityMethod;
  readonly matched: boolean;
  readonly threshold: number;
  /** The app's own subject id: its backend compares it with the user it meant. */
  readonly subject: string;
  readonly reason?: IdentityReason;
}

/**
 * JSON Schema (draft-04) of the `POST /identity/checks` body, for API Gateway's request model; the identity handler
 * checks the same rules itself.
 */
export const CREATE_IDENTITY_CHECK_BODY_SCHEMA = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'CreateIdentityCheckRequest',
  type: 'object',
  additionalProperties: false,
  required: ['subject', 'method'],
  properties: {
    subject: {
      type: 'string',
      minLength: SUBJECT.minLength,
      maxLength: SUBJECT.maxLength,
      pattern: SUBJECT.pattern.source,
    },
    method: { type: 'string', enum: [...IDENTITY_METHODS] },
    referencePhoto: { type: 'object' },
    threshold: { type: 'number', minimum: SIMILARITY_RANGE.min, maximum: SIMILARITY_RANGE.max },
  },
} as const;

export function isSubject(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length >= SUBJECT.minLength &&
    value.length <= SUBJECT.maxLength &&
    SUBJECT.pattern.test(value)
  );
}

/** `POST /sessions`' `identityCheck` field, present in the create-session model only when identity verification is on. */
export const IDENTITY_CHECK_FIELD = {
  identityCheck: {
    type: 'string',
    minLength: CHECK_TOKEN.length,
    maxLength: CHECK_TOKEN.length,
    pattern: CHECK_TOKEN.pattern.source,
  },
} as const;
