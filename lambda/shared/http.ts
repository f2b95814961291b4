/** Response builders. Every response, success or error, leaves through `withCommonHeaders`. */
import { CORS_EXPOSE_HEADERS, allowedOriginFor } from '../../contract/cors';
import type { ErrorBody } from '../../contract/error-codes';
import type { ApiError } from './errors';

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

type Headers = Readonly<Record<string, string | undefined>> | null | undefined;

export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { statusCode, headers, body: JSON.stringify(body) };
}

export function errorResponse(error: ApiError, requestId: string): HttpResponse {
  const body: ErrorBody = { error: { code: error.code, message: error.message, requestId } };
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers['Retry-After'] = String(error.retryAfterSeconds);
  return jsonResponse(error.statusCode, body, headers);
}

/**
 * Adds CORS, caching and request-id headers. The origin is echoed only when it is allowed, so a foreign page gets no
 * Access-Control-Allow-Origin at all; `Vary: Origin` keeps shared caches from mixing answers for different origins.
 * Error responses carry CORS too: without it the browser hides the real error behind a CORS failure.
 * `X-Request-Id` is the id of the error body and the logs, readable by a browser app too.
 */
export function withCommonHeaders(
  response: HttpResponse,
  origin: string | undefined,
  allowedOrigins: readonly string[],
  requestId?: string,
): HttpResponse {
  const headers: Record<string, string> = {
    ...response.headers,
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    Vary: 'Origin',
    ...(requestId !== undefined && { 'X-Request-Id': requestId }),
    // A response that says it may be cached (the JWK Set) keeps its own Cache-Control.
    ...(response.headers['Cache-Control'] !== undefined && { 'Cache-Control': response.headers['Cache-Control'] }),
  };
  const allowOrigin = allowedOriginFor(origin, allowedOrigins);
  if (allowOrigin !== undefined) headers['Access-Control-Allow-Origin'] = allowOrigin;
  // Retry-After and X-Request-Id are not CORS-safelisted response headers: without this the browser app cannot read them.
  if (headers['Access-Control-Allow-Origin'] !== undefined)
    headers['Access-Control-Expose-Headers'] = CORS_EXPOSE_HEADERS.join(', ');
  return { ...response, headers };
}

/** HTTP header names are case-insensitive, and API Gateway passes them with the client's casing. */
export function getHeader(headers: Headers, name: string): string | undefined {
  if (!headers) return undefined;
  const direct = headers[name];
  if (direct !== undefined) return direct;
  const lower = name.toLowerCase();
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === lower) return headers[key];
  }
  return undefined;
}
