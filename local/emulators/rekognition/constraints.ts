/**
 * Service-model constraints the emulator enforces beyond those in contract/liveness-model.ts (which this file reuses). Taken from
 * docs/rekognition-facts.md and the `@aws-sdk/client-rekognition` model docs; the JS SDK validates none of them itself.
 */
export {
  AUDIT_IMAGES_LIMIT,
  CHALLENGE_TYPES,
  CLIENT_REQUEST_TOKEN,
  FEEDBACK_CODES,
  SESSION_ID,
  SESSION_STATUSES,
  SESSION_TTL_SECONDS,
  TERMINAL_STATUSES,
} from '../../../contract/liveness-model';
export type { ChallengeType, FeedbackCode, SessionStatus } from '../../../contract/liveness-model';

export const KMS_KEY_ID = {
  minLength: 1,
  maxLength: 2048,
  pattern: /^[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,2048}$/,
} as const;

export const S3_BUCKET = { minLength: 3, maxLength: 255, pattern: /^[0-9A-Za-z.\-_]*$/ } as const;

export const S3_KEY_PREFIX = { maxLength: 950, pattern: /^\S*$/ } as const;

export const CHALLENGE_VERSION = {
  minLength: 5,
  maxLength: 11,
  pattern: /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/,
} as const;

/** GetFaceLivenessSessionResults returns at most this many feedback items. */
export const MAX_FEEDBACK_ITEMS = 10;

/** Largest `Bytes` value the service returns for one image. */
export const MAX_IMAGE_BYTES = 204_800;

/**
 * Challenge versions the emulator offers, newest last: what the service runs today and what the Amplify component
 * speaks (FaceMovementAndLightChallenge 2.0.0 since amplify-ui #6608, FaceMovementChallenge 1.0.0). A session runs
 * the newest version its ChallengePreferences allow.
 */
export const SUPPORTED_CHALLENGE_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  FaceMovementAndLightChallenge: ['1.0.0', '2.0.0'],
  FaceMovementChallenge: ['1.0.0'],
};

/** Compares two `major.minor.patch` strings numerically. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i += 1) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
