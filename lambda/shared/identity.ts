/**
 * Who owns a session: the caller as API Gateway authenticated it. Only fields API Gateway itself fills in are read
 * (never a header the caller could set), and which one depends on the deployment's auth mode:
 *
 * - `iam`: the Cognito identity id (`requestContext.identity.cognitoIdentityId`, one per identity-pool identity: per
 *   browser for guests, per user for signed-in users) → `cognito:<identityId>`. A caller signing with other IAM
 *   credentials (a backend role) has no identity id: its principal ARN is used → `iam:<userArn>`.
 * - `cognito`: the user pool's `sub` claim (`requestContext.authorizer.claims.sub`), one per user → `user:<sub>`.
 * - `none`: nothing authenticates the caller, so the only thing it cannot choose freely is the address API Gateway
 *   saw (`requestContext.identity.sourceIp`; X-Forwarded-For is the caller's to forge) → `ip:<IPv4>`, or for IPv6 the
 *   /64 prefix → `ip:<prefix>::/64`, since one device rotates freely through its /64 (privacy addresses). Callers
 *   behind one NAT share an owner: for demos and trusted networks only.
 *
 * A value that is unusually long or not printable ASCII is replaced by its SHA-256. No identity where the auth mode
 * requires one is a 401, never a shared anonymous owner.
 *
 * That identity never leaves the handler's memory: a Cognito identity id is a credential (for a guest identity,
 * GetCredentialsForIdentity needs nothing else), an IP address is personal data. The table, the lockout, the logs,
 * the responses and the attestation carry only the owner reference (`ownerRef`), a keyed hash of it under the
 * deployment's secret OWNER_REF_KEY: stable, opaque, and useless to anyone without that key. With user-pool
 * authorization the attestation's `sub` is the user pool's `sub`, which is no credential and is what an app's backend
 * knows its user by.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { AuthMode } from '../../contract/setting-rules';
import { ApiError } from './errors';

const MAX_VALUE_LENGTH = 256;
const PRINTABLE = /^[\x21-\x7e]+$/;

type RequestContext = Partial<APIGatewayProxyEvent['requestContext']> | null | undefined;

export function ownerOf(requestContext: RequestContext, authMode: AuthMode): string {
  const owner = findOwner(requestContext, authMode);
  if (owner === undefined) {
    throw new ApiError('UNAUTHORIZED', 'The request carries no caller identity.', {
      detail: `No caller identity for auth mode ${authMode}: is the API's authorizer in front of this function?`,
    });
  }
  return owner;
}

function findOwner(context: RequestContext, authMode: AuthMode): string | undefined {
  const identity = objectOrUndefined(context?.identity);
  switch (authMode) {
    case 'iam':
      return (
        tagged('cognito', stringOrUndefined(identity?.cognitoIdentityId)) ??
        tagged('iam', stringOrUndefined(identity?.userArn))
      );
    case 'cognito': {
      const claims = objectOrUndefined(objectOrUndefined(context?.authorizer)?.claims);
      return tagged('user', stringOrUndefined(claims?.sub));
    }
    case 'none':
      return tagged('ip', networkOf(stringOrUndefined(identity?.sourceIp)));
  }
}

function tagged(kind: string, value: string | undefined): string | undefined {
  if (value === undefined || value.length === 0) return undefined;
  if (value.length <= MAX_VALUE_LENGTH && PRINTABLE.test(value)) return `${kind}:${value}`;
  return `${kind}:sha256:${createHash('sha256').update(value).digest('hex')}`;
}

/** The address itself for IPv4 (also when IPv4-mapped), the /64 prefix for IPv6; anything else as given. */
export function networkOf(address: string | undefined): string | undefined {
  if (address === undefined) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1];
  if (!isIPv6(address)) return address;
  const groups = expandIPv6(address.split('%')[0]!);
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

function expandIPv6(address: string): string[] {
  // An embedded IPv4 tail (e.g. 64:ff9b::1.2.3.4) is two groups.
  const withoutV4 = address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c, d) => {
    const n = [a, b, c, d].map(Number) as [number, number, number, number];
    return `${((n[0] << 8) | n[1]).toString(16)}:${((n[2] << 8) | n[3]).toString(16)}`;
  });
  const [head, tail] = withoutV4.split('::') as [string, string | undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((g) => g.toLowerCase());
}

function objectOrUndefined(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Used when no OWNER_REF_KEY is configured (a harness): refs then hold within one instance only. */
const INSTANCE_KEY = randomBytes(32).toString('base64');

/**
 * The owner reference: how the table, the lockout, the logs, the responses and the attestation name an owner. A keyed
 * hash (HMAC-SHA256 under OWNER_REF_KEY, a random secret generated at deploy time), 128 bits as 32 hex digits: stable
 * for one deployment, and not reversible by hashing guesses (an IPv4 /16 is 65,536 guesses; without the key each
 * guess proves nothing), so it is neither an identity id, an address nor anything a credential can be obtained with.
 */
export function ownerRef(owner: string, key: string | undefined): string {
  return createHmac('sha256', key ?? INSTANCE_KEY)
    .update(owner)
    .digest('hex')
    .slice(0, 32);
}

/** The caller of one request, as the handlers may keep it. */
export interface Caller {
  /** The owner reference (`ownerRef`): what is stored and compared. */
  readonly ref: string;
  /** The attestation's `sub`: the user pool's `sub` with user-pool authorization, otherwise `ref`. */
  readonly subject: string;
}

/** The caller's owner reference (and attestation subject); 401 when the request carries no caller identity. */
export function callerOf(requestContext: RequestContext, authMode: AuthMode, key: string | undefined): Caller {
  const owner = ownerOf(requestContext, authMode);
  const ref = ownerRef(owner, key);
  const userPoolSub = authMode === 'cognito' && owner.startsWith('user:') ? owner.slice('user:'.length) : undefined;
  return {
    ref,
    subject: userPoolSub !== undefined && !userPoolSub.startsWith('sha256:') ? userPoolSub : ref,
  };
}
