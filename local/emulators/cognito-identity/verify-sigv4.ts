/**
 * Checks a SigV4 `Authorization` header the way API Gateway's AWS_IAM authorization does, against the credentials the
 * local identity pool issued: the signature over the canonical request, the credential scope (date, region, service),
 * the clock skew, the session token, and the credentials' expiry. The signature covers the body actually received:
 * an `X-Amz-Content-Sha256` header must be that body's hash, and `UNSIGNED-PAYLOAD` is refused, as API Gateway
 * refuses both for `execute-api` (a request signed for one body cannot be sent with another). The outcome names API
 * Gateway's own gateway response type, so the local API answers with the deployed gateway responses
 * (lib/gateway-responses.ts).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { GuestIdentityPool, IssuedCredentials } from './identity-pool';

export interface SigV4Request {
  readonly method: string;
  /** The path as sent (still percent-encoded), without the query string. */
  readonly rawPath: string;
  readonly query: URLSearchParams;
  /** Lower-case names, as Node gives them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

export type SigV4Failure = 'MISSING_AUTHENTICATION_TOKEN' | 'INVALID_SIGNATURE' | 'EXPIRED_TOKEN';

export type SigV4Verdict =
  | { readonly ok: true; readonly credentials: IssuedCredentials }
  | { readonly ok: false; readonly failure: SigV4Failure; readonly reason: string };

export interface VerifyOptions {
  /** Whose credentials are accepted: the local identity pool's, or a fixed set (local mode's app backend). */
  readonly pool: Pick<GuestIdentityPool, 'region' | 'lookup' | 'isExpired'>;
  /** @default 'execute-api' */
  readonly service?: string;
  /** @default Date.now() */
  readonly now?: number;
}

/** AWS rejects a header signature made more than five minutes before or after its own clock. */
const MAX_SKEW_MS = 5 * 60 * 1000;
const AUTHORIZATION =
  /^AWS4-HMAC-SHA256\s+Credential=([^/\s,]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;.-]+),\s*Signature=([0-9a-f]{64})$/;

export function verifySigV4(request: SigV4Request, options: VerifyOptions): SigV4Verdict {
  const service = options.service ?? 'execute-api';
  const now = options.now ?? Date.now();
  const authorization = header(request.headers, 'authorization');
  if (authorization === undefined || !authorization.startsWith('AWS4-HMAC-SHA256')) {
    return fail('MISSING_AUTHENTICATION_TOKEN', 'no SigV4 Authorization header');
  }
  const parts = AUTHORIZATION.exec(authorization.trim());
  if (!parts) return fail('INVALID_SIGNATURE', 'the Authorization header is not a complete AWS4-HMAC-SHA256 signature');
  const [, accessKeyId, scopeDate, region, scopeService, signedHeaderList, signature] = parts as unknown as string[];
  const amzDate = header(request.headers, 'x-amz-date');
  const signedAt = amzDate === undefined ? undefined : parseAmzDate(amzDate);
  if (amzDate === undefined || signedAt === undefined)
    return fail('INVALID_SIGNATURE', 'X-Amz-Date is missing or malformed');
  if (Math.abs(now - signedAt) > MAX_SKEW_MS)
    return fail('INVALID_SIGNATURE', 'the signature is more than 5 minutes away from the server clock');
  if (scopeDate !== amzDate.slice(0, 8))
    return fail('INVALID_SIGNATURE', 'the credential scope date is not the X-Amz-Date date');
  if (scopeService !== service)
    return fail('INVALID_SIGNATURE', `the credential scope names service ${scopeService}, not ${service}`);
  if (region !== options.pool.region)
    return fail('INVALID_SIGNATURE', `the credential scope names region ${region}, not ${options.pool.region}`);
  const signedHeaders = signedHeaderList!.split(';');
  if (!signedHeaders.includes('host')) return fail('INVALID_SIGNATURE', 'the Host header is not signed');

  const credentials = options.pool.lookup(accessKeyId!);
  if (credentials === undefined)
    return fail('INVALID_SIGNATURE', 'the access key was not issued by the local identity pool');
  // Long-term credentials (an IAM user's, local mode's app backend) have no session token: none may be sent.
  const sessionToken = credentials.sessionToken === '' ? undefined : credentials.sessionToken;
  if (header(request.headers, 'x-amz-security-token') !== sessionToken) {
    return fail('INVALID_SIGNATURE', 'the session token does not belong to the access key');
  }

  const payloadHash = sha256Hex(request.body);
  const claimedHash = header(request.headers, 'x-amz-content-sha256');
  if (claimedHash !== undefined && claimedHash.trim().toLowerCase() !== payloadHash) {
    return fail(
      'INVALID_SIGNATURE',
      /^[0-9a-f]{64}$/i.test(claimedHash.trim())
        ? 'X-Amz-Content-Sha256 is not the hash of the body received'
        : `X-Amz-Content-Sha256 ${JSON.stringify(claimedHash.slice(0, 40))} is not accepted: the body must be signed`,
    );
  }

  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalPath(request.rawPath),
    canonicalQuery(request.query),
    signedHeaders.map((name) => `${name}:${canonicalHeaderValue(request.headers[name])}\n`).join(''),
    signedHeaderList,
    payloadHash,
  ].join('\n');
  const scope = `${scopeDate}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const expected = createHmac('sha256', signingKey(credentials.secretAccessKey, scopeDate!, region!, service))
    .update(stringToSign)
    .digest();
  if (!timingSafeEqual(expected, Buffer.from(signature!, 'hex'))) {
    return fail('INVALID_SIGNATURE', 'the signature does not match the request');
  }
  // Checked last, as AWS does: only a correctly signed request learns that its credentials expired.
  if (options.pool.isExpired(credentials)) return fail('EXPIRED_TOKEN', 'the credentials have expired');
  return { ok: true, credentials };
}

function fail(failure: SigV4Failure, reason: string): SigV4Verdict {
  return { ok: false, failure, reason };
}

/** Derived keys per secret and day: one HMAC per request instead of five. */
const keyCache = new Map<string, Buffer>();

function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const cacheKey = `${secret}\n${date}\n${region}\n${service}`;
  let key = keyCache.get(cacheKey);
  if (key === undefined) {
    const kDate = createHmac('sha256', `AWS4${secret}`).update(date).digest();
    const kRegion = createHmac('sha256', kDate).update(region).digest();
    const kService = createHmac('sha256', kRegion).update(service).digest();
    key = createHmac('sha256', kService).update('aws4_request').digest();
    if (keyCache.size > 10_000) keyCache.clear();
    keyCache.set(cacheKey, key);
  }
  return key;
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Services other than S3 sign the path URI-encoded twice: each segment of the (already encoded) path again. */
function canonicalPath(rawPath: string): string {
  return rawPath.replace(/\/+/g, '/').split('/').map(encodeRfc3986).join('/') || '/';
}

function canonicalQuery(query: URLSearchParams): string {
  return [...query]
    .map(([k, v]) => [encodeRfc3986(k), encodeRfc3986(v)] as const)
    .sort(([k1, v1], [k2, v2]) => (k1 < k2 ? -1 : k1 > k2 ? 1 : v1 < v2 ? -1 : v1 > v2 ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function canonicalHeaderValue(value: string | string[] | undefined): string {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.map((v) => v.trim().replace(/\s+/g, ' ')).join(',');
}

function header(headers: SigV4Request['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `20260101T120000Z` → epoch ms. */
export function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return Number.isNaN(ms) ? undefined : ms;
}
