/**
 * Every word `<FaceLivenessCheck>` shows, as one object per language. An app overrides any of them with the
 * component's `messages` prop (merged over the chosen language, which falls back to English).
 */
import type { FeedbackCode, IdentityReason, NotLiveReason } from '../../client';

/** The stable codes of what can go wrong, for support and tests; never shown raw. */
export const PROBLEM_CODES = [
  'CAMERA_ACCESS',
  'CAMERA_FRAMERATE',
  'LANDSCAPE',
  'FACE_FIT_TIMEOUT',
  'FACE_TOO_CLOSE',
  'MULTIPLE_FACES',
  'CONNECTION_TIMEOUT',
  'RUNTIME_ERROR',
  'SESSION_UNUSABLE',
  'WRONG_REGION',
  'BUSY',
  'STREAM_INTERRUPTED',
  'CHALLENGE_UNAVAILABLE',
  'API_THROTTLED',
  'LOCKED_OUT',
  'API_UNAVAILABLE',
  'API_SIGNATURE',
  'CREDENTIALS_EXPIRED',
  'API_FORBIDDEN',
  'API_ERROR',
  'RESULT_TIMEOUT',
  'IDENTITY_CHECK_INVALID',
  'NETWORK',
  'CREDENTIALS',
  'CREDENTIALS_MISCONFIGURED',
  'CLIENT_ERROR',
  'UNEXPECTED',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

export interface ProblemText {
  readonly title: string;
  readonly message: string;
}

export interface LivenessMessages {
  /** The start screen. */
  readonly startTitle: string;
  readonly startIntro: string;
  readonly tipLight: string;
  readonly tipAccessories: string;
  readonly tipDistance: string;
  /** Shown only when the check can flash colours (the light challenge). */
  readonly tipFlashes: string;
  readonly startButton: string;
  /** While the session is created. */
  readonly preparing: string;
  /** After the video is in, while the verdict is fetched. */
  readonly verifying: string;
  readonly verifiedTitle: string;
  readonly verifiedMessage: string;
  readonly notVerifiedTitle: string;
  /** When a not-live verdict names no reason. */
  readonly notVerifiedMessage: string;
  readonly adviceTitle: string;
  readonly retryButton: string;
  /** One piece of advice per Rekognition feedback code. */
  readonly feedback: Readonly<Record<FeedbackCode, string>>;
  /** Why a finished check is not live (the server's `message` is meant for developers). */
  readonly reasons: Readonly<Record<NotLiveReason, string>>;
  /** A live verdict whose identity check matched (`reference`, `enrolled`): the face is the expected person's. */
  readonly identityMatched: string;
  /** A live verdict whose identity check did not match; followed by the reason's words. */
  readonly identityNotMatched: string;
  /** An `enrol` check that enrolled the face. */
  readonly identityEnrolled: string;
  /** An `enrol` check that did not; followed by the reason's words. */
  readonly identityNotEnrolled: string;
  /** The title of a live verdict whose identity check did not match (or enrol). */
  readonly identityNotMatchedTitle: string;
  /** Why an identity check did not match (contract/identity.ts), in words. */
  readonly identityReasons: Readonly<Record<IdentityReason, string>>;
  readonly problems: Readonly<Record<ProblemCode, ProblemText>>;
  /** The lockout's message; `minutes` is the server's Retry-After rounded up, undefined when it sent none. */
  readonly lockedOut: (minutes: number | undefined) => string;
  /** Appended to a problem's message when the API gave a request id. */
  readonly supportReference: (requestId: string) => string;
}

/** What the `messages` prop takes: any subset, down to one feedback code or one problem's title. */
export type LivenessMessagesOverride = {
  readonly [K in keyof LivenessMessages]?: LivenessMessages[K] extends (...args: never[]) => unknown
    ? LivenessMessages[K]
    : LivenessMessages[K] extends Readonly<Record<string, ProblemText>>
      ? { readonly [P in keyof LivenessMessages[K]]?: Partial<ProblemText> }
      : LivenessMessages[K] extends Readonly<Record<string, string>>
        ? Partial<LivenessMessages[K]>
        : LivenessMessages[K];
};
