/**
 * Every word `<FaceLivenessCheck>` shows, as one object per language. An app overrides any of them with the
 * component's `messages` prop (merged over the chosen language, which falls back to English).
 */
import type { FeedbackCode, NotLiveReason } from '../../client';

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
