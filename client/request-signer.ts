/**
 * SigV4 signing for APIs deployed with IAM auth. aws4fetch signs with WebCrypto, so the same code runs in browsers
 * (secure contexts only: https or localhost) and Node 20+, at about 2.5 kB gzipped.
 */
import { AwsV4Signer } from 'aws4fetch';
import { LivenessCredentialsError, LivenessValidationError } from './errors';
import { systemClock, type Clock } from './timing';

/** Shaped like the AWS SDK's `AwsCredentialIdentity`, so SDK credential providers can be passed as they are. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** When the credentials stop working. Absent: they never expire. */
  readonly expiration?: Date;
}

export type CredentialsProvider = () => AwsCredentials | Promise<AwsCredentials>;

export interface SignableRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  readonly body?: string;
}

/** Returns the headers to send, authentication included. */
export type RequestSigner = (request: SignableRequest) => Promise<Headers>;

/** Refetch this long before `expiration`, so a request signed now is not rejected in flight. */
const REFRESH_BEFORE_EXPIRY_MS = 60_000;

/**
 * Caches what a provider returns until shortly before it expires, and shares one in-flight fetch between concurrent
 * callers, so a poll loop does not ask an identity service for credentials on every request.
 */
export function cachedCredentials(
  source: AwsCredentials | CredentialsProvider,
  clock: Clock = systemClock,
): () => Promise<AwsCredentials> {
  if (typeof source !== 'function') {
    const checked = checkCredentials(source);
    return () => Promise.resolve(checked);
  }
  let cached: AwsCredentials | undefined;
  let inFlight: Promise<AwsCredentials> | undefined;
  const fresh = (c: AwsCredentials): boolean =>
    c.expiration === undefined || c.expiration.getTime() - REFRESH_BEFORE_EXPIRY_MS > clock.now();
  return () => {
    if (cached && fresh(cached)) return Promise.resolve(cached);
    inFlight ??= (async () => {
      try {
        cached = checkCredentials(await source());
        return cached;
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };
}

function checkCredentials(c: AwsCredentials | undefined): AwsCredentials {
  if (
    !c ||
    typeof c.accessKeyId !== 'string' ||
    !c.accessKeyId ||
    typeof c.secretAccessKey !== 'string' ||
    !c.secretAccessKey
  ) {
    throw new LivenessCredentialsError('The credentials provider returned no accessKeyId/secretAccessKey.', {
      retryable: false,
    });
  }
  return c;
}

/** `abc123.execute-api.us-east-1.amazonaws.com` → `us-east-1`; undefined for custom domains and local URLs. */
export function regionFromApiUrl(url: string | URL): string | undefined {
  const host = new URL(url).hostname;
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(host)?.[1];
}

export interface RequestSignerOptions {
  readonly credentials: AwsCredentials | CredentialsProvider;
  readonly region: string;
  /** @default 'execute-api' */
  readonly service?: string;
  /** @default the system clock */
  readonly clock?: Clock;
}

export function createRequestSigner(options: RequestSignerOptions): RequestSigner {
  if (!options.region) throw new LivenessValidationError('region', 'SigV4 signing needs a region.');
  const getCredentials = cachedCredentials(options.credentials, options.clock);
  const clock = options.clock ?? systemClock;
  // Derived signing keys, per day/region/service; aws4fetch fills it.
  const keyCache = new Map<string, ArrayBuffer>();
  return async ({ method, url, headers, body }) => {
    const credentials = await getCredentials();
    const signer = new AwsV4Signer({
      method,
      url,
      headers,
      body: body ?? null,
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
      service: options.service ?? 'execute-api',
      region: options.region,
      // From the injected clock, so a simulated clock signs with its own time.
      datetime: new Date(clock.now()).toISOString().replace(/[:-]|\.\d{3}/g, ''),
      cache: keyCache,
    });
    return (await signer.sign()).headers;
  };
}
