/**
 * What a session ends with, and the defaults for new sessions. These shapes belong to the emulator's control side
 * (camelCase JSON), not to the AWS protocol; the parse functions check input from the control endpoint and from code.
 */
import { TERMINAL_STATUSES as OUTCOME_STATUSES, type TerminalStatus } from '../../../contract/liveness-model';
import {
  CHALLENGE_TYPES,
  CHALLENGE_VERSION,
  FEEDBACK_CODES,
  MAX_FEEDBACK_ITEMS,
  type ChallengeType,
  type FeedbackCode,
} from './constraints';
import { CAMERA_SUBJECTS, type CameraSubject } from './people';

// A session ends in one of Rekognition's terminal statuses (contract/liveness-model.ts).
export { OUTCOME_STATUSES };
export type OutcomeStatus = TerminalStatus;

export interface FeedbackSpec {
  readonly code: FeedbackCode;
  /** @default a fixed English message per code */
  readonly message?: string;
}

/** A scripted end of a session. Every field is optional; what is left out comes from the defaults. */
export interface OutcomeSpec {
  /** @default 'SUCCEEDED' */
  readonly status?: OutcomeStatus;
  /** 0..100, returned only with SUCCEEDED. @default 95 */
  readonly confidence?: number;
  /** Returned only with SUCCEEDED (an empty list when none). @default [] */
  readonly feedback?: readonly FeedbackSpec[];
  /** false simulates a session whose reference image is missing ("retry the check"). @default true */
  readonly referenceImage?: boolean;
  /** Audit images actually produced, 0..4; the session's AuditImagesLimit caps it. @default 4 (so the limit decides) */
  readonly auditImages?: number;
  /** Override the challenge the session reports. @default the one chosen from ChallengePreferences */
  readonly challenge?: { readonly type: ChallengeType; readonly version: string };
  /** Metadata.SDKType as a streaming client would report it. @default not returned */
  readonly sdkType?: string;
  /**
   * Who is in front of the camera: the synthetic person (`p1` … `p9`) in the reference and audit images, whom the
   * face operations then recognise; `none` writes images without a face. @default 'p1'
   */
  readonly person?: CameraSubject;
  /** 0..100: what this session's images score against other images of the same person. @default 99.5 */
  readonly similarity?: number;
}

export interface ResolvedOutcome {
  readonly status: OutcomeStatus;
  readonly confidence: number;
  readonly feedback: readonly FeedbackSpec[];
  readonly referenceImage: boolean;
  readonly auditImages: number;
  readonly challenge?: { readonly type: ChallengeType; readonly version: string };
  readonly sdkType?: string;
  readonly person: CameraSubject;
  readonly similarity?: number;
}

/** How new sessions behave when nothing is scripted. */
export interface SessionDefaults {
  /** Sessions start and finish by themselves (no browser needed). @default true */
  readonly autoComplete: boolean;
  /** Milliseconds after creation at which an auto session turns IN_PROGRESS. @default 300 */
  readonly startAfterMs: number;
  /** Milliseconds after creation at which an auto session reaches its outcome. @default 1500 */
  readonly completeAfterMs: number;
  readonly outcome: ResolvedOutcome;
}

export const DEFAULT_SESSION_DEFAULTS: SessionDefaults = {
  autoComplete: true,
  startAfterMs: 300,
  completeAfterMs: 1500,
  outcome: { status: 'SUCCEEDED', confidence: 95, feedback: [], referenceImage: true, auditImages: 4, person: 'p1' },
};

export const FEEDBACK_MESSAGES: Record<FeedbackCode, string> = {
  FACE_NOT_VISIBLE: 'Your face was not fully visible. Keep your whole face inside the oval.',
  FACE_OBSTRUCTION_DETECTED: 'Something covered part of your face. Remove glasses, masks or hands and try again.',
  LOW_VIDEO_QUALITY_DETECTED: 'The video quality was low. Clean the camera lens and hold the device steady.',
  FACE_NOT_ALIGNED: 'Your face was not centred. Look straight at the camera.',
  EYES_CLOSED_DETECTED: 'Your eyes seemed closed. Keep your eyes open.',
  LOW_LIGHTING_DETECTED: 'The light was too dim. Move to a brighter place.',
  HIGH_LIGHTING_DETECTED: 'The light was too bright. Avoid direct light behind or on you.',
};

/** A control-side error: bad input (400), unknown session (404), wrong state (409). */
export class ControlError extends Error {
  constructor(
    readonly statusCode: 400 | 404 | 405 | 409 | 413 | 415,
    message: string,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

type Json = Record<string, unknown>;

function bad(message: string): ControlError {
  return new ControlError(400, message);
}

function asObject(value: unknown, what: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad(`${what} must be a JSON object`);
  return value as Json;
}

function onlyKeys(obj: Json, allowed: readonly string[], what: string): void {
  const unknown = Object.keys(obj).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw bad(`${what}: unknown field(s) ${unknown.join(', ')}; allowed: ${allowed.join(', ')}`);
}

function numberIn(value: unknown, min: number, max: number, what: string, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw bad(`${what} must be a number from ${min} to ${max}`);
  }
  if (integer && !Number.isInteger(value)) throw bad(`${what} must be an integer`);
  return value;
}

export function parseOutcomeSpec(input: unknown): OutcomeSpec {
  const obj = asObject(input ?? {}, 'outcome');
  onlyKeys(
    obj,
    [
      'status',
      'confidence',
      'feedback',
      'referenceImage',
      'auditImages',
      'challenge',
      'sdkType',
      'person',
      'similarity',
    ],
    'outcome',
  );
  const spec: { -readonly [K in keyof OutcomeSpec]: OutcomeSpec[K] } = {};
  if (obj.status !== undefined) {
    if (!(OUTCOME_STATUSES as readonly unknown[]).includes(obj.status)) {
      throw bad(`outcome.status must be one of ${OUTCOME_STATUSES.join(', ')}`);
    }
    spec.status = obj.status as OutcomeStatus;
  }
  if (obj.confidence !== undefined) spec.confidence = numberIn(obj.confidence, 0, 100, 'outcome.confidence');
  if (obj.feedback !== undefined) {
    if (!Array.isArray(obj.feedback)) throw bad('outcome.feedback must be an array');
    if (obj.feedback.length > MAX_FEEDBACK_ITEMS) {
      throw bad(`outcome.feedback has at most ${MAX_FEEDBACK_ITEMS} items`);
    }
    spec.feedback = obj.feedback.map((item, i) => {
      const entry = asObject(item, `outcome.feedback[${i}]`);
      onlyKeys(entry, ['code', 'message'], `outcome.feedback[${i}]`);
      if (!(FEEDBACK_CODES as readonly unknown[]).includes(entry.code)) {
        throw bad(`outcome.feedback[${i}].code must be one of ${FEEDBACK_CODES.join(', ')}`);
      }
      if (entry.message !== undefined && typeof entry.message !== 'string') {
        throw bad(`outcome.feedback[${i}].message must be a string`);
      }
      return {
        code: entry.code as FeedbackCode,
        ...(entry.message !== undefined && { message: entry.message as string }),
      };
    });
  }
  if (obj.referenceImage !== undefined) {
    if (typeof obj.referenceImage !== 'boolean') throw bad('outcome.referenceImage must be a boolean');
    spec.referenceImage = obj.referenceImage;
  }
  if (obj.auditImages !== undefined) spec.auditImages = numberIn(obj.auditImages, 0, 4, 'outcome.auditImages', true);
  if (obj.challenge !== undefined) {
    const challenge = asObject(obj.challenge, 'outcome.challenge');
    onlyKeys(challenge, ['type', 'version'], 'outcome.challenge');
    if (!(CHALLENGE_TYPES as readonly unknown[]).includes(challenge.type)) {
      throw bad(`outcome.challenge.type must be one of ${CHALLENGE_TYPES.join(', ')}`);
    }
    if (typeof challenge.version !== 'string' || !CHALLENGE_VERSION.pattern.test(challenge.version)) {
      throw bad('outcome.challenge.version must look like 1.0.0');
    }
    spec.challenge = { type: challenge.type as ChallengeType, version: challenge.version };
  }
  if (obj.sdkType !== undefined) {
    if (typeof obj.sdkType !== 'string' || obj.sdkType.length > 100) {
      throw bad('outcome.sdkType must be a string of at most 100 characters');
    }
    spec.sdkType = obj.sdkType;
  }
  if (obj.person !== undefined) {
    if (!(CAMERA_SUBJECTS as readonly unknown[]).includes(obj.person)) {
      throw bad(`outcome.person must be one of ${CAMERA_SUBJECTS.join(', ')}`);
    }
    spec.person = obj.person as CameraSubject;
  }
  if (obj.similarity !== undefined) spec.similarity = numberIn(obj.similarity, 0, 100, 'outcome.similarity');
  return spec;
}

export function resolveOutcome(spec: OutcomeSpec | undefined, base: ResolvedOutcome): ResolvedOutcome {
  return { ...base, ...(spec ?? {}) };
}

/** A partial update of the defaults (`outcome` merges field by field). */
export interface DefaultsPatch {
  readonly autoComplete?: boolean;
  readonly startAfterMs?: number;
  readonly completeAfterMs?: number;
  readonly outcome?: OutcomeSpec;
}

/** Checks a partial update of the defaults (`outcome` merges field by field) and returns the merged defaults. */
export function mergeDefaults(current: SessionDefaults, input: unknown): SessionDefaults {
  const obj = asObject(input ?? {}, 'defaults');
  onlyKeys(obj, ['autoComplete', 'startAfterMs', 'completeAfterMs', 'outcome'], 'defaults');
  if (obj.autoComplete !== undefined && typeof obj.autoComplete !== 'boolean') {
    throw bad('defaults.autoComplete must be a boolean');
  }
  const day = 24 * 3600 * 1000;
  const next: SessionDefaults = {
    autoComplete: (obj.autoComplete as boolean | undefined) ?? current.autoComplete,
    startAfterMs:
      obj.startAfterMs === undefined
        ? current.startAfterMs
        : numberIn(obj.startAfterMs, 0, day, 'defaults.startAfterMs'),
    completeAfterMs:
      obj.completeAfterMs === undefined
        ? current.completeAfterMs
        : numberIn(obj.completeAfterMs, 0, day, 'defaults.completeAfterMs'),
    outcome:
      obj.outcome === undefined ? current.outcome : resolveOutcome(parseOutcomeSpec(obj.outcome), current.outcome),
  };
  if (next.startAfterMs > next.completeAfterMs) {
    throw bad('defaults.startAfterMs must not be greater than defaults.completeAfterMs');
  }
  return next;
}
