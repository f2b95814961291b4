/**
 * The flow around FaceLivenessDetector, as a hook: a new session per attempt, the wait for the verdict after
 * `onAnalysisComplete`, errors in words, a lockout's wait. `<FaceLivenessCheck>` renders it; an app that wants its
 * own screens renders the same state itself and spreads `detector` onto the Amplify component.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type {
  ChallengeType,
  CreateSessionRequest,
  CreateSessionResponse,
  FinishedResult,
  LivenessClient,
} from '../client';
import { en } from './messages/en';
import type { LivenessMessages } from './messages/types';
import { type DetectorError, describeDetectorError, describeRequestError, type LivenessProblem } from './problems';

/** How long to wait for the verdict once the video is in; the session's own 3-minute life caps it anyway. */
export const DEFAULT_RESULT_TIMEOUT_MS = 30_000;

export type FaceLivenessCheckState =
  | { readonly status: 'idle' }
  | { readonly status: 'creating' }
  /** The detector runs this session (a new one for every attempt). */
  | { readonly status: 'detecting'; readonly session: CreateSessionResponse }
  /** The video is in: waiting for the backend's verdict. */
  | { readonly status: 'verifying'; readonly session: CreateSessionResponse }
  | { readonly status: 'verdict'; readonly result: FinishedResult }
  | { readonly status: 'error'; readonly problem: LivenessProblem };

/** What a session request may carry besides the challenge (e.g. the nonce your app's backend handed out). */
export type SessionRequest = Omit<CreateSessionRequest, 'challenge'>;

export interface UseFaceLivenessCheckOptions {
  /** The typed client (`createLivenessClient` from `face-liveness-backend/client`), or anything with its two calls. */
  readonly client: Pick<LivenessClient, 'createSession' | 'waitForResult'>;
  /**
   * The challenge to ask for. `FaceMovementChallenge` shows no flashing colours (photosensitivity-friendly); the
   * backend must allow it (its `allowedChallenges`), otherwise the check stops with CHALLENGE_UNAVAILABLE rather than
   * flash colours at someone who asked for none. @default the backend's preferred challenge
   */
  readonly challenge?: ChallengeType;
  /** Extra fields of each attempt's POST /sessions, or a function giving them per attempt (a fresh nonce). */
  readonly sessionRequest?: SessionRequest | (() => SessionRequest | Promise<SessionRequest>);
  /** @default 30000 */
  readonly resultTimeoutMs?: number;
  /** The words of problems (resolveMessages). @default English */
  readonly messages?: LivenessMessages;
  /** The backend's verdict, with its `attestation` for your app's backend to verify. Called once per session. */
  readonly onVerdict?: (result: FinishedResult) => void;
  /** Each new session, as created. */
  readonly onSession?: (session: CreateSessionResponse) => void;
  /** Whatever stopped a check: the problem shown, and its cause (a client or detector error) for your logs. */
  readonly onError?: (problem: LivenessProblem, cause: unknown) => void;
}

/** The props FaceLivenessDetector(Core) needs for the current session. */
export interface DetectorBinding {
  /** Remount key: the detector's state machine never outlives one session. */
  readonly key: string;
  readonly sessionId: string;
  /** The session's own region, as the backend returned it: the browser must stream there. */
  readonly region: string;
  readonly onAnalysisComplete: () => Promise<void>;
  readonly onError: (error: DetectorError) => void;
  readonly onUserCancel: () => void;
}

export interface FaceLivenessCheckController {
  readonly state: FaceLivenessCheckState;
  /** Starts a check with a NEW session (a session is single-use and lives 3 minutes); also the retry. */
  readonly start: () => void;
  /** Back to idle; requests in flight are cancelled. */
  readonly reset: () => void;
  /** Present while the detector should run. */
  readonly detector: DetectorBinding | undefined;
}

export function useFaceLivenessCheck(options: UseFaceLivenessCheckOptions): FaceLivenessCheckController {
  const [state, setState] = useState<FaceLivenessCheckState>({ status: 'idle' });
  // The latest options, read at call time: callbacks passed inline never go stale and never restart anything.
  const latest = useRef(options);
  latest.current = options;
  // One controller per attempt: leaving the attempt (retry, reset, unmount) cancels its requests.
  const attempt = useRef<AbortController | undefined>(undefined);
  useEffect(() => () => attempt.current?.abort(), []);

  const fail = useCallback((controller: AbortController, problem: LivenessProblem, cause: unknown) => {
    if (controller.signal.aborted || attempt.current !== controller) return;
    setState({ status: 'error', problem });
    latest.current.onError?.(problem, cause);
  }, []);

  const start = useCallback(() => {
    attempt.current?.abort();
    const controller = new AbortController();
    attempt.current = controller;
    setState({ status: 'creating' });
    const { client, challenge, sessionRequest } = latest.current;
    void (async () => {
      try {
        const extra = typeof sessionRequest === 'function' ? await sessionRequest() : (sessionRequest ?? {});
        const request: CreateSessionRequest = { ...extra, ...(challenge !== undefined && { challenge }) };
        const session = await client.createSession(request, { signal: controller.signal });
        if (controller.signal.aborted) return;
        setState({ status: 'detecting', session });
        latest.current.onSession?.(session);
      } catch (error) {
        const messages = latest.current.messages ?? en;
        fail(controller, describeRequestError(error, messages, { askedForChallenge: challenge !== undefined }), error);
      }
    })();
  }, [fail]);

  const reset = useCallback(() => {
    attempt.current?.abort();
    attempt.current = undefined;
    setState({ status: 'idle' });
  }, []);

  const session = state.status === 'detecting' ? state.session : undefined;
  const detector = useMemo((): DetectorBinding | undefined => {
    const controller = attempt.current;
    if (!session || !controller) return undefined;
    // Callbacks of a detector whose attempt is over (a retry, a reset) change nothing.
    const current = () => attempt.current === controller && !controller.signal.aborted;
    return {
      key: session.sessionId,
      sessionId: session.sessionId,
      region: session.region,
      onAnalysisComplete: async () => {
        // The video is uploaded: the verdict comes from our API, never from the detector.
        if (!current()) return;
        setState({ status: 'verifying', session });
        const { client, resultTimeoutMs, messages } = latest.current;
        try {
          const result = await client.waitForResult(session.sessionId, {
            signal: controller.signal,
            timeoutMs: resultTimeoutMs ?? DEFAULT_RESULT_TIMEOUT_MS,
            expiresAt: session.expiresAt,
          });
          if (!current()) return;
          setState({ status: 'verdict', result });
          latest.current.onVerdict?.(result);
        } catch (error) {
          fail(controller, describeRequestError(error, messages ?? en), error);
        }
      },
      onError: (error) => {
        if (current()) fail(controller, describeDetectorError(error, latest.current.messages ?? en), error);
      },
      onUserCancel: () => {
        if (current()) reset();
      },
    };
  }, [session, fail, reset]);

  // A lockout's wait: once the API's Retry-After has passed, "Try again" is offered.
  const waitSeconds = state.status === 'error' && !state.problem.retry ? state.problem.retryAfterSeconds : undefined;
  useEffect(() => {
    if (waitSeconds === undefined) return;
    const timer = setTimeout(
      () => setState((s) => (s.status === 'error' ? { status: 'error', problem: { ...s.problem, retry: true } } : s)),
      waitSeconds * 1000,
    );
    return () => clearTimeout(timer);
  }, [waitSeconds]);

  return { state, start, reset, detector };
}
