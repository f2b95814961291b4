/**
 * The typed client of this API. fetch-based with no Node-only imports, so the same code serves a browser app (bundled
 * by Vite), the CLI and tests.
 */
import type {
  CreateSessionRequest,
  CreateSessionResponse,
  FinishedResult,
  PendingResult,
  SessionResult,
} from '../contract/api-types';
import { SESSION_TTL_SECONDS } from '../contract/liveness-model';
import { ROUTES } from '../contract/routes';
import { assertCreateSessionRequest, assertSessionId, isCreateSessionResponse, isSessionResult } from './contract';
import {
  LivenessApiError,
  LivenessError,
  LivenessNetworkError,
  LivenessResponseError,
  LivenessTimeoutError,
  LivenessValidationError,
  type LivenessTimeoutReason,
} from './errors';
import { createTransport, tryJson, unexpected, type TransportOptions } from './transport';
import { abortReason, backoffDelay, parseRetryAfter, type BackoffOptions } from './timing';

export interface LivenessClientOptions extends TransportOptions {
  /** Jitter source in [0, 1). @default Math.random */
  readonly random?: () => number;
}

export interface RequestOptions {
  readonly signal?: AbortSignal;
}

/** What one poll of `waitForResult` saw. */
export interface PollEvent {
  /** 1 for the first request. */
  readonly attempt: number;
  readonly result?: SessionResult;
  /** A retryable error that will be retried after `delayMs`. */
  readonly error?: LivenessError;
  /** Wait before the next poll; absent when this was the last one. */
  readonly delayMs?: number;
}

export interface WaitForResultOptions extends RequestOptions {
  /** Give up after this long, ms. Never later than the session's life, whatever the value. */
  readonly timeoutMs?: number;
  /** `expiresAt` from createSession, when the session was created elsewhere (e.g. by a backend or another tab). */
  readonly expiresAt?: string | number | Date;
  readonly onPoll?: (event: PollEvent) => void;
  /** Used when the server sends no `Retry-After`. */
  readonly backoff?: BackoffOptions;
  /** Retryable failures in a row before the last one is thrown. @default 8 */
  readonly maxConsecutiveErrors?: number;
}

export interface LivenessClient {
  /** The normalised base URL, always ending in `/`. */
  readonly apiUrl: string;
  createSession(request?: CreateSessionRequest, options?: RequestOptions): Promise<CreateSessionResponse>;
  /** One look at the session; pending results come back as they are. */
  getResult(sessionId: string, options?: RequestOptions): Promise<SessionResult>;
  /** Polls until the session is finished, honouring `Retry-After`, and never past the session's life. */
  waitForResult(sessionId: string, options?: WaitForResultOptions): Promise<FinishedResult>;
}

/**
 * Slack after the session's nominal end, covering the server's clock and the request in flight, so the last poll can
 * still see the terminal status.
 */
const SESSION_GRACE_MS = 5_000;
/** A server sending `Retry-After: 0` must not turn a browser into a busy loop. */
const MIN_POLL_DELAY_MS = 250;
const DEFAULT_MAX_CONSECUTIVE_ERRORS = 8;
const SESSION_LIFE_MS = SESSION_TTL_SECONDS * 1000;

export function createLivenessClient(options: LivenessClientOptions): LivenessClient {
  const transport = createTransport(options);
  const { baseUrl, clock, requestTimeoutMs, send, fail } = transport;
  const random = options.random ?? Math.random;
  /** Local send time of each session this client created: a session-life bound immune to clock skew with the server. */
  const createdAt = new Map<string, number>();

  async function fetchResult(
    sessionId: string,
    signal: AbortSignal | undefined,
    timeoutMs?: number,
  ): Promise<{ result: SessionResult; retryAfterSeconds: number | undefined }> {
    assertSessionId(sessionId);
    const { response, text, url } = await send(ROUTES.getResult, { sessionId }, undefined, signal, timeoutMs);
    if (!response.ok) fail(response, text, url);
    const body = tryJson(text);
    if (!isSessionResult(body)) throw unexpected(response, text, url, 'not a session result');
    if (body.sessionId !== sessionId)
      throw unexpected(response, text, url, `the result is for another session (${body.sessionId})`);
    return { result: body, retryAfterSeconds: parseRetryAfter(response.headers.get('Retry-After'), clock.now()) };
  }

  async function createSession(
    request: CreateSessionRequest = {},
    opts: RequestOptions = {},
  ): Promise<CreateSessionResponse> {
    assertCreateSessionRequest(request);
    const sentAt = clock.now();
    const { response, text, url } = await send(ROUTES.createSession, {}, JSON.stringify(request), opts.signal);
    if (!response.ok) fail(response, text, url);
    const body = tryJson(text);
    if (!isCreateSessionResponse(body)) throw unexpected(response, text, url, 'not a created session');
    for (const [id, at] of createdAt) if (at + SESSION_LIFE_MS < sentAt) createdAt.delete(id);
    createdAt.set(body.sessionId, sentAt);
    return body;
  }

  async function waitForResult(sessionId: string, opts: WaitForResultOptions = {}): Promise<FinishedResult> {
    assertSessionId(sessionId);
    const { signal, onPoll } = opts;
    if (signal?.aborted) throw abortReason(signal);
    const start = clock.now();
    // The session was created before this call, so `start + life` is a bound that holds whatever the clocks say.
    let lifeEnd = start + SESSION_LIFE_MS;
    const created = createdAt.get(sessionId);
    if (created !== undefined) lifeEnd = Math.min(lifeEnd, created + SESSION_LIFE_MS);
    if (opts.expiresAt !== undefined) lifeEnd = Math.min(lifeEnd, toEpochMs(opts.expiresAt));
    lifeEnd += SESSION_GRACE_MS;
    if (opts.timeoutMs !== undefined && !(opts.timeoutMs >= 0)) {
      throw new LivenessValidationError('timeoutMs', 'timeoutMs must be a number of milliseconds, 0 or more.');
    }
    const timeoutEnd = opts.timeoutMs === undefined ? Infinity : start + opts.timeoutMs;
    const deadline = Math.min(lifeEnd, timeoutEnd);
    const reason: LivenessTimeoutReason = timeoutEnd < lifeEnd ? 'TIMEOUT' : 'SESSION_EXPIRED';
    const maxErrors = opts.maxConsecutiveErrors ?? DEFAULT_MAX_CONSECUTIVE_ERRORS;

    let lastPending: PendingResult | undefined;
    const giveUp = (): LivenessTimeoutError =>
      new LivenessTimeoutError({
        reason,
        sessionId,
        lastResult: lastPending,
        message:
          reason === 'TIMEOUT'
            ? `No final result for session ${sessionId} within ${opts.timeoutMs} ms.`
            : `Session ${sessionId} has reached the end of its ${SESSION_TTL_SECONDS}-second life without a final result: start a new session.`,
      });

    let attempt = 0;
    let backoffStep = 0;
    let consecutiveErrors = 0;
    for (;;) {
      const remaining = deadline - clock.now();
      if (remaining < 0) throw giveUp();
      attempt += 1;
      let delayMs: number;
      try {
        const { result, retryAfterSeconds } = await fetchResult(
          sessionId,
          signal,
          Math.min(requestTimeoutMs, Math.max(remaining, MIN_POLL_DELAY_MS)),
        );
        consecutiveErrors = 0;
        if (result.done) {
          onPoll?.({ attempt, result });
          return result;
        }
        lastPending = result;
        delayMs =
          retryAfterSeconds !== undefined
            ? retryAfterSeconds * 1000
            : backoffDelay(backoffStep++, opts.backoff ?? {}, random);
        delayMs = Math.max(MIN_POLL_DELAY_MS, delayMs);
        onPoll?.({ attempt, result, delayMs });
      } catch (error) {
        if (!(error instanceof LivenessError) || !error.retryable) throw error;
        if (error instanceof LivenessNetworkError && error.timedOut && clock.now() >= deadline) throw giveUp();
        consecutiveErrors += 1;
        if (consecutiveErrors > maxErrors) throw error;
        const retryAfter =
          error instanceof LivenessApiError || error instanceof LivenessResponseError
            ? error.retryAfterSeconds
            : undefined;
        delayMs =
          retryAfter !== undefined ? retryAfter * 1000 : backoffDelay(backoffStep++, opts.backoff ?? {}, random);
        delayMs = Math.max(MIN_POLL_DELAY_MS, delayMs);
        onPoll?.({ attempt, error, delayMs });
      }
      // Polling earlier than the server asked is not an option, and later is past the session's life: stop now
      // rather than sleep towards a poll that must not happen.
      if (clock.now() + delayMs > deadline) throw giveUp();
      await clock.sleep(delayMs, signal);
    }
  }

  return {
    apiUrl: baseUrl.toString(),
    createSession,
    getResult: async (sessionId, opts = {}) => (await fetchResult(sessionId, opts.signal)).result,
    waitForResult,
  };
}

function toEpochMs(value: string | number | Date): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new LivenessValidationError('expiresAt', `"${String(value)}" is not a time.`);
  return ms;
}
