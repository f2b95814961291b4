/**
 * Identity checks: an app's backend opens one for its own subject (POST /identity/checks, IAM-signed), its browser
 * carries the one-time token into POST /sessions, and the result function matches the live face once, with the
 * verdict. Minimal shape of the shared design; the backend's definition replaces it.
 */

export const IDENTITY_METHODS = ['reference', 'enrol', 'enrolled'] as const;
export type IdentityMethod = (typeof IDENTITY_METHODS)[number];

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

/** The app's own id of its user: opaque to this API, stored only as a keyed reference. */
export const SUBJECT = { minLength: 1, maxLength: 128, pattern: /^[A-Za-z0-9_.:-]+$/ } as const;

/** The one-time token of an open check: 32 random bytes, base64url (43 characters). */
export const CHECK_TOKEN = { length: 43, pattern: /^[A-Za-z0-9_-]{43}$/ } as const;

/** Rekognition's image limits: bytes, S3 objects, and the smallest face it detects. */
export const REFERENCE_PHOTO_LIMITS = {
  maxBytes: 5 * 1024 * 1024,
  maxS3Bytes: 15 * 1024 * 1024,
  minFacePixels: 40,
} as const;

export interface ReferencePhotoObject {
  readonly bucket: string;
  readonly name: string;
  readonly version?: string;
}

export type ReferencePhoto = { readonly bytes: string } | { readonly s3Object: ReferencePhotoObject };

export interface CreateIdentityCheckRequest {
  readonly subject: string;
  readonly method: IdentityMethod;
  readonly referencePhoto?: ReferencePhoto;
  readonly threshold?: number;
}

export interface CreateIdentityCheckResponse {
  readonly checkToken: string;
  readonly expiresAt: string;
}

export interface EraseSubjectResponse {
  readonly subject: string;
  readonly facesDeleted: number;
  readonly referencePhotosDeleted: number;
}

export interface IdentityResult {
  readonly method: IdentityMethod;
  readonly subject: string;
  readonly matched: boolean;
  readonly reason?: IdentityReason;
  readonly threshold: number;
  /** Only with exposeDetails. */
  readonly similarity?: number;
}

/** The attestation's `match` claim. */
export interface MatchClaim {
  readonly method: IdentityMethod;
  readonly matched: boolean;
  readonly threshold: number;
  readonly subject: string;
  readonly reason?: IdentityReason;
}

/** The backend routes (IAM only, never granted to a browser). */
export const IDENTITY_ROUTES = {
  createIdentityCheck: { name: 'createIdentityCheck', method: 'POST', path: '/identity/checks' },
  eraseSubject: { name: 'eraseSubject', method: 'DELETE', path: '/identity/subjects/{subject}' },
} as const;
