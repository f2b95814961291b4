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
import { ERROR_CODES, RETRY_AFTER_SECONDS } from '../contract/error-codes';
import { SESSION_TTL_SECONDS } from '../contract/liveness-model';
import { buildPath, ROUTES, type RouteDefinition } from '../contract/routes';
import {
  assertCreateSessionRequest,
  assertSessionId,
  isCreateSessionResponse,
  isSessionResult,
  parseErrorBody,
} from './contract';
import {
  LivenessApiError,
  LivenessCredentialsError,
  LivenessError,
  LivenessNetworkError,
  LivenessResponseError,
  LivenessTimeoutError,
  LivenessValidationError,
  type LivenessTimeoutReason,
} from './errors';
import {
  createRequestSigner,
  regionFromApiUrl,
  type AwsCredentials,
  type CredentialsProvider,
  type RequestSigner,
} from './request-signer';
import {
  abortReason,
  backoffDelay,
  linkSignals,
  parseRetryAfter,
  systemClock,
  type BackoffOptions,
  type Clock,
} from './timing';

export interface LivenessClientOptions {
  /** The API's base URL including the stage, e.g. `https://abc.execute-api.us-east-1.amazonaws.com/v1/`. */
  readonly apiUrl: string | URL;
  /** @default globalThis.fetch, looked up at call time */
  readonly fetch?: typeof fetch;
  /** Sign every request with SigV4 (IAM-auth APIs). A provider is cached until shortly before `expiration`. */
  readonly credentials?: AwsCredentials | CredentialsProvider;
  /** Signing region. @default the region in an execute-api URL; required for custom domains */
  readonly region?: string;
  /** Any other request authentication (e.g. a bearer token). Not together with `credentials`. */
  readonly signer?: RequestSigner;
  /** Per-request limit, ms. API Gateway itself gives up after 29 s. @default 30000 */
  readonly requestTimeoutMs?: number;
  /** @default the system clock; replace it in tests and simulations */
  readonly clock?: Clock;
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
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_CONSECUTIVE_ERRORS = 8;
/** Statuses worth retrying even when a proxy, not this API, produced them. */
const RETRYABLE_HTTP_STATUSES = new Set([429, 502, 503, 504]);
const SESSION_LIFE_MS = SESSION_TTL_SECONDS * 1000;

export function createLivenessClient(options: LivenessClientOptions): LivenessClient {
  const baseUrl = normaliseApiUrl(options.apiUrl);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const doFetch: typeof fetch =
    options.fetch ??
    ((input, init) => {
      if (typeof globalThis.fetch !== 'function') throw new TypeError('No global fetch: pass `fetch` in the options.');
      return globalThis.fetch(input, init);
    });
  const signer = resolveSigner(options, baseUrl, clock);
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  /** Local send time of each session this client created: a session-life bound immune to clock skew with the server. */
  const createdAt = new Map<string, number>();

  async function send(
    route: RouteDefinition,
    params: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal | undefined,
    timeoutMs: number = requestTimeoutMs,
  ): Promise<{ response: Response; text: string; url: string }> {
    const url = new URL(buildPath(route, params).slice(1), baseUrl).toString();
    let headers = new Headers({ Accept: 'application/json' });
    if (body !== undefined) headers.set('Content-Type', 'application/json');
    if (signal?.aborted) throw abortReason(signal);
    if (signer) {
      try {
        headers = await signer({ method: route.method, url, headers, body });
      } catch (error) {
        if (error instanceof LivenessError) throw error;
        throw new LivenessCredentialsError(`Could not sign the request: ${describe(error)}`, {
          retryable: false,
          cause: error,
        });
      }
    }
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), Math.max(0, timeoutMs));
    const linked = linkSignals([signal, timeout.signal]);
    try {
      const response = await doFetch(url, { method: route.method, headers, body, signal: linked.signal });
      const text = await response.text();
      return { response, text, url };
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      if (timeout.signal.aborted) {
        throw new LivenessNetworkError(`No answer from ${url} within ${timeoutMs} ms.`, {
          timedOut: true,
          cause: error,
        });
      }
      throw new LivenessNetworkError(`Could not reach the API at ${url}: ${describe(error)}`, {
        timedOut: false,
        cause: error,
      });
    } finally {
      clearTimeout(timer);
      linked.dispose();
    }
  }

  function fail(response: Response, text: string, url: string): never {
    const retryAfterHeader = parseRetryAfter(response.headers.get('Retry-After'), clock.now());
    // Browsers only see exposed headers: this API exposes X-Request-Id; x-amzn-RequestId is API Gateway's own.
    const headerRequestId =
      response.headers.get('x-request-id') ?? response.headers.get('x-amzn-requestid') ?? undefined;
    const parsed = parseErrorBody(tryJson(text));
    if (parsed) {
      const { retryable } = ERROR_CODES[parsed.code];
      throw new LivenessApiError({
        status: response.status,
        code: parsed.code,
        message: parsed.message,
        requestId: parsed.requestId ?? headerRequestId,
        retryable,
        retryAfterSeconds: retryAfterHeader ?? (retryable ? RETRY_AFTER_SECONDS[parsed.code] : undefined),
      });
    }
    throw unexpected(response, text, url, `HTTP ${response.status}`, retryAfterHeader, headerRequestId);
  }

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

function normaliseApiUrl(apiUrl: string | URL): URL {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new LivenessValidationError('apiUrl', `"${String(apiUrl)}" is not a URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new LivenessValidationError('apiUrl', `The API URL must be http(s), not ${url.protocol}`);
  }
  if (url.search || url.hash) {
    throw new LivenessValidationError('apiUrl', 'The API URL must not carry a query or fragment.');
  }
  // Relative resolution against ".../v1" would drop the stage; ".../v1/" keeps it.
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

function resolveSigner(options: LivenessClientOptions, baseUrl: URL, clock: Clock): RequestSigner | undefined {
  if (options.signer && options.credentials) {
    throw new LivenessValidationError('signer', 'Pass either `signer` or `credentials`, not both.');
  }
  if (options.signer) return options.signer;
  if (!options.credentials) return undefined;
  const region = options.region ?? regionFromApiUrl(baseUrl);
  if (!region) {
    throw new LivenessValidationError(
      'region',
      'Signing needs a region: pass `region`, the API URL does not name one.',
    );
  }
  return createRequestSigner({ credentials: options.credentials, region, clock });
}

function toEpochMs(value: string | number | Date): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new LivenessValidationError('expiresAt', `"${String(value)}" is not a time.`);
  return ms;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function unexpected(
  response: Response,
  text: string,
  url: string,
  what: string,
  retryAfterSeconds?: number,
  requestId?: string,
): LivenessResponseError {
  const contentType = response.headers.get('Content-Type') ?? 'no content type';
  const bodyMessage = messageOf(tryJson(text));
  return new LivenessResponseError({
    status: response.status,
    message:
      `Unexpected answer from ${url} (${what}, ${contentType})` +
      (bodyMessage ? `: ${bodyMessage}` : ': is the API URL right?'),
    bodySnippet: text.slice(0, 200),
    requestId,
    retryable: RETRYABLE_HTTP_STATUSES.has(response.status),
    retryAfterSeconds,
  });
}

/** API Gateway's own default answers are `{"message": "..."}`; worth showing when nothing else fits. */
function messageOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const m = (body as Record<string, unknown>)['message'] ?? (body as Record<string, unknown>)['Message'];
  return typeof m === 'string' ? m.slice(0, 200) : undefined;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    // Node's fetch hides the useful part (ECONNREFUSED, ENOTFOUND) in `cause`.
    const cause = (error as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? ` (${(cause as { code?: string }).code ?? cause.message})` : '';
    return `${error.message}${detail}`;
  }
  return String(error);
}
