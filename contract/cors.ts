/**
 * CORS details shared by API Gateway's preflight and gateway responses, the handlers and the local API. Origins are
 * a deploy-time setting (allowedOrigins); these are the fixed parts.
 */
/** Request headers a browser may send: JSON bodies and SigV4 signing (IAM auth) or a user-pool token. */
export const CORS_ALLOW_HEADERS = [
  'Content-Type',
  'Authorization',
  'X-Amz-Date',
  'X-Amz-Security-Token',
  'X-Amz-Content-Sha256',
  'X-Amz-User-Agent',
] as const;

/** Response headers a browser app may read: the poll interval and the id to quote when reporting a problem. */
export const CORS_EXPOSE_HEADERS = ['Retry-After', 'X-Request-Id'] as const;

/** An allowed origin: scheme and host (and port), no path, no wildcard. `*` alone is handled apart. */
export const ORIGIN_PATTERN = /^https?:\/\/[^/\s*]+$/;

/** How long a browser may cache a preflight answer, seconds. */
export const CORS_MAX_AGE_SECONDS = 600;

/** The Access-Control-Allow-Origin value for a request, or undefined when its origin is not allowed. */
export function allowedOriginFor(requestOrigin: string | undefined, allowedOrigins: readonly string[]): string | undefined {
  if (allowedOrigins.includes('*')) return '*';
  if (requestOrigin === undefined) return undefined;
  return allowedOrigins.includes(requestOrigin) ? requestOrigin : undefined;
}
