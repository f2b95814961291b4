/**
 * One request to this API and the reading of its errors, shared by the browser client (sessions, results) and the
 * server entry's identity checks: the URL from the contract's route, SigV4 or another signer, a per-request timeout,
 * and the API's error body turned into a typed error (anything else into a LivenessResponseError).
 */
import { ERROR_CODES, RETRY_AFTER_SECONDS } from '../contract/error-codes';
import { buildPath, type RouteDefinition } from '../contract/routes';
import { parseErrorBody } from './contract';
import {
  LivenessApiError,
  LivenessCredentialsError,
  LivenessError,
  LivenessNetworkError,
  LivenessResponseError,
  LivenessValidationError,
} from './errors';
import {
  createRequestSigner,
  regionFromApiUrl,
  type AwsCredentials,
  type CredentialsProvider,
  type RequestSigner,
} from './request-signer';
import { abortReason, linkSignals, parseRetryAfter, systemClock, type Clock } from './timing';

export interface TransportOptions {
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
}

export interface Sent {
  readonly response: Response;
  readonly text: string;
  readonly url: string;
}

export interface Transport {
  /** The normalised base URL, always ending in `/`. */
  readonly baseUrl: URL;
  readonly clock: Clock;
  /** The per-request limit, ms. */
  readonly requestTimeoutMs: number;
  send(
    route: Pick<RouteDefinition, 'method' | 'path'>,
    params: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal | undefined,
    timeoutMs?: number,
  ): Promise<Sent>;
  /** Throws the typed error of a non-2xx answer. */
  fail(response: Response, text: string, url: string): never;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Statuses worth retrying even when a proxy, not this API, produced them. */
export const RETRYABLE_HTTP_STATUSES = new Set([429, 502, 503, 504]);

export function createTransport(options: TransportOptions): Transport {
  const baseUrl = normaliseApiUrl(options.apiUrl);
  const clock = options.clock ?? systemClock;
  const doFetch: typeof fetch =
    options.fetch ??
    ((input, init) => {
      if (typeof globalThis.fetch !== 'function') throw new TypeError('No global fetch: pass `fetch` in the options.');
      return globalThis.fetch(input, init);
    });
  const signer = resolveSigner(options, baseUrl, clock);
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;

  async function send(
    route: Pick<RouteDefinition, 'method' | 'path'>,
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

  return { baseUrl, clock, requestTimeoutMs, send, fail };
}

export function normaliseApiUrl(apiUrl: string | URL): URL {
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

function resolveSigner(options: TransportOptions, baseUrl: URL, clock: Clock): RequestSigner | undefined {
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

export function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function unexpected(
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

export function describe(error: unknown): string {
  if (error instanceof Error) {
    // Node's fetch hides the useful part (ECONNREFUSED, ENOTFOUND) in `cause`.
    const cause = (error as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? ` (${(cause as { code?: string }).code ?? cause.message})` : '';
    return `${error.message}${detail}`;
  }
  return String(error);
}
