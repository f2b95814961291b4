/**
 * Guest (unauthenticated) credentials from a Cognito identity pool, fetched the way a browser app does it: two
 * unsigned calls to the identity service's JSON protocol (GetId, then GetCredentialsForIdentity). Plain fetch, so no
 * AWS SDK ends up in a browser bundle.
 */
import { LivenessCredentialsError, LivenessValidationError } from './errors';
import { cachedCredentials, type AwsCredentials } from './request-signer';
import { systemClock, type Clock } from './timing';

export interface CognitoGuestCredentialsOptions {
  /** `region:uuid`, as the identity pool shows it. */
  readonly identityPoolId: string;
  /** @default the region prefix of `identityPoolId` */
  readonly region?: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** The identity service URL, for tests and emulators. @default `https://cognito-identity.{region}.amazonaws.com/` */
  readonly endpoint?: string;
  /** @default the system clock */
  readonly clock?: Clock;
  /**
   * The guest identity to start from, e.g. one a command-line tool kept between runs: sessions belong to the identity
   * that created them. If the identity service no longer knows it, a new identity is got. @default a new identity
   */
  readonly identityId?: string;
  /** Called with the identity id whenever a new one is got (to keep it for a later run). */
  readonly onIdentityId?: (identityId: string) => void;
}

/** AWS's documented pattern for identity pool ids. */
const IDENTITY_POOL_ID = /^[\w-]+:[0-9a-f-]+$/;

/** Errors a later call may not repeat; any other status below 500 is the caller's to fix. */
const RETRYABLE_TYPES = new Set(['TooManyRequestsException', 'InternalErrorException', 'LimitExceededException']);

/**
 * A credentials provider for `createLivenessClient({ credentials })`. The identity id and the credentials are kept in
 * memory and reused until the credentials are about to expire, as the Amplify libraries do.
 */
export function cognitoGuestCredentials(options: CognitoGuestCredentialsOptions): () => Promise<AwsCredentials> {
  const { identityPoolId } = options;
  if (!IDENTITY_POOL_ID.test(identityPoolId)) {
    throw new LivenessValidationError(
      'identityPoolId',
      `"${identityPoolId}" is not an identity pool id (region:uuid).`,
    );
  }
  const region = options.region ?? identityPoolId.split(':')[0]!;
  const endpoint =
    options.endpoint ?? `https://cognito-identity.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}/`;
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  let identityId: string | undefined = options.identityId || undefined;

  const call = async (operation: string, input: object): Promise<Record<string, unknown>> => {
    let response: Response;
    try {
      response = await doFetch(endpoint, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-amz-json-1.1',
          'X-Amz-Target': `AWSCognitoIdentityService.${operation}`,
          // Credentials must never come from an HTTP cache; Amplify sends the same header.
          'Cache-Control': 'no-store',
        },
        body: JSON.stringify(input),
      });
    } catch (cause) {
      throw new LivenessCredentialsError(`Could not reach the Cognito identity service at ${endpoint}.`, {
        retryable: true,
        cause,
      });
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
    if (!response.ok || !record) {
      // `__type` may carry a namespace: `com.amazonaws.cognito.identity.model#NotAuthorizedException`.
      const type = typeof record?.['__type'] === 'string' ? record['__type'].split('#').pop() : undefined;
      const message = record?.['message'] ?? record?.['Message'];
      throw new LivenessCredentialsError(
        `Cognito ${operation} failed (${response.status}${type ? ` ${type}` : ''})` +
          (typeof message === 'string' ? `: ${message}` : '.'),
        {
          retryable: response.status >= 500 || (type !== undefined && RETRYABLE_TYPES.has(type)),
          awsErrorType: type,
          status: response.status,
        },
      );
    }
    return record;
  };

  const newIdentity = async (): Promise<string> => {
    const got = await call('GetId', { IdentityPoolId: identityPoolId });
    if (typeof got['IdentityId'] !== 'string') throw malformed('GetId');
    options.onIdentityId?.(got['IdentityId']);
    return got['IdentityId'];
  };

  const fetchCredentials = async (): Promise<AwsCredentials> => {
    try {
      let got: Record<string, unknown>;
      if (identityId === undefined) {
        identityId = await newIdentity();
        got = await call('GetCredentialsForIdentity', { IdentityId: identityId });
      } else {
        try {
          got = await call('GetCredentialsForIdentity', { IdentityId: identityId });
        } catch (error) {
          // A kept identity the service no longer knows (a deleted identity, a restarted stand-in): start a new one.
          if (!(error instanceof LivenessCredentialsError && error.awsErrorType === 'ResourceNotFoundException')) {
            throw error;
          }
          identityId = await newIdentity();
          got = await call('GetCredentialsForIdentity', { IdentityId: identityId });
        }
      }
      return parseCredentials(got['Credentials']);
    } catch (error) {
      // The identity may have been deleted or disabled; the next attempt starts from a fresh GetId.
      identityId = undefined;
      throw error;
    }
  };

  return cachedCredentials(fetchCredentials, options.clock ?? systemClock);
}

function parseCredentials(value: unknown): AwsCredentials {
  const c = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { AccessKeyId, SecretKey, SessionToken, Expiration } = c;
  if (typeof AccessKeyId !== 'string' || typeof SecretKey !== 'string' || typeof SessionToken !== 'string') {
    throw malformed('GetCredentialsForIdentity');
  }
  // The JSON protocol sends timestamps as epoch seconds.
  const expiration =
    typeof Expiration === 'number'
      ? new Date(Expiration * 1000)
      : typeof Expiration === 'string'
        ? new Date(Expiration)
        : undefined;
  if (expiration !== undefined && Number.isNaN(expiration.getTime())) throw malformed('GetCredentialsForIdentity');
  return { accessKeyId: AccessKeyId, secretAccessKey: SecretKey, sessionToken: SessionToken, expiration };
}

function malformed(operation: string): LivenessCredentialsError {
  return new LivenessCredentialsError(`Cognito ${operation} returned an unexpected body.`, { retryable: false });
}
