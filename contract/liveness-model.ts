/**
 * Input constraints of this API, taken from the Rekognition service model (docs/rekognition-facts.md). The handlers
 * validate with them, the API Gateway request model is generated from them, the emulator enforces them.
 */
export const CHALLENGE_TYPES = ['FaceMovementAndLightChallenge', 'FaceMovementChallenge'] as const;
export type ChallengeType = (typeof CHALLENGE_TYPES)[number];

/** A challenge version as Rekognition writes it (`Versions.Minimum`, `Challenge.Version`): major.minor.patch. */
export const CHALLENGE_VERSION_PATTERN = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

/** Compares two challenge versions numerically; NaN when either is not a version. */
export function compareChallengeVersions(a: string, b: string): number {
  if (!CHALLENGE_VERSION_PATTERN.test(a) || !CHALLENGE_VERSION_PATTERN.test(b)) return NaN;
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

export const CLIENT_REQUEST_TOKEN = {
  minLength: 1,
  maxLength: 64,
  pattern: /^[a-zA-Z0-9-_]+$/,
} as const;

export const AUDIT_IMAGES_LIMIT = { min: 0, max: 4 } as const;

/**
 * The optional `nonce` of POST /sessions: issued by the app's backend for its own user or transaction, stored with the
 * session and echoed as the attestation's `nonce` claim. 1–256 printable ASCII characters (space to tilde).
 */
export const NONCE = {
  minLength: 1,
  maxLength: 256,
  pattern: /^[\x20-\x7e]+$/,
} as const;

/** SessionId as returned by CreateFaceLivenessSession: a lowercase UUID, 36 characters. */
export const SESSION_ID = {
  length: 36,
  pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
} as const;

/** A session is single-use and expires this long after creation; all its data is gone afterwards. */
export const SESSION_TTL_SECONDS = 180;

/** Largest create-session body we accept; the real one is well under 200 bytes. */
export const MAX_CREATE_BODY_BYTES = 1024;

export const CONFIDENCE_RANGE = { min: 0, max: 100 } as const;

/** Feedback codes Rekognition returns with a SUCCEEDED session, meant to help the end user retry well. */
export const FEEDBACK_CODES = [
  'FACE_NOT_VISIBLE',
  'FACE_OBSTRUCTION_DETECTED',
  'LOW_VIDEO_QUALITY_DETECTED',
  'FACE_NOT_ALIGNED',
  'EYES_CLOSED_DETECTED',
  'LOW_LIGHTING_DETECTED',
  'HIGH_LIGHTING_DETECTED',
] as const;
export type FeedbackCode = (typeof FEEDBACK_CODES)[number];

export const SESSION_STATUSES = ['CREATED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'EXPIRED'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
/** The statuses a session ends in: a verdict is decided, recorded and counted once a result read sees one. */
export const TERMINAL_STATUSES = ['SUCCEEDED', 'FAILED', 'EXPIRED'] as const satisfies readonly SessionStatus[];
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];

export function isTerminalStatus(status: unknown): status is TerminalStatus {
  return (TERMINAL_STATUSES as readonly unknown[]).includes(status);
}

/**
 * JSON Schema (draft-04, as API Gateway models require) of the create-session body. API Gateway validates with it at the
 * edge; the create handler validates the same rules itself (for local mode and defence in depth).
 */
export const CREATE_SESSION_BODY_SCHEMA = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'CreateSessionRequest',
  type: 'object',
  additionalProperties: false,
  properties: {
    clientRequestToken: {
      type: 'string',
      minLength: CLIENT_REQUEST_TOKEN.minLength,
      maxLength: CLIENT_REQUEST_TOKEN.maxLength,
      pattern: CLIENT_REQUEST_TOKEN.pattern.source,
    },
    auditImagesLimit: { type: 'integer', minimum: AUDIT_IMAGES_LIMIT.min, maximum: AUDIT_IMAGES_LIMIT.max },
    challenge: { type: 'string', enum: [...CHALLENGE_TYPES] },
    nonce: { type: 'string', minLength: NONCE.minLength, maxLength: NONCE.maxLength, pattern: NONCE.pattern.source },
  },
} as const;
