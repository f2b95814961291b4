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
export function allowedOriginFor(
  requestOrigin: string | undefined,
  allowedOrigins: readonly string[],
): string | undefined {
  if (allowedOrigins.includes('*')) return '*';
  if (requestOrigin === undefined) return undefined;
  return allowedOrigins.includes(requestOrigin) ? requestOrigin : undefined;
}

/**
 * The rules of an allowed-origins list, checked at synth (lib/resolve-props.ts) and at cold start (the handlers'
 * ALLOWED_ORIGINS): at least one origin, each scheme and host only, `*` only alone. `name` is the caller's name for
 * the list; the answer is one message per problem, empty when the list is valid.
 */
export function originProblems(origins: readonly unknown[], name: string): string[] {
  const problems: string[] = [];
  if (origins.length === 0) problems.push(`${name} must list at least one origin`);
  if (origins.includes('*') && origins.length > 1) problems.push(`${name}: '*' cannot be combined with other origins`);
  for (const origin of origins) {
    if (origin !== '*' && (typeof origin !== 'string' || !ORIGIN_PATTERN.test(origin))) {
      problems.push(
        `${name}: ${JSON.stringify(origin)} is not an origin like https://app.example.com (scheme and host, no path)`,
      );
    }
  }
  return problems;
}
