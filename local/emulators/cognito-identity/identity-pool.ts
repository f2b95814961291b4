/**
 * A Cognito identity pool's guest side, in memory: `GetId` makes an identity, `GetCredentialsForIdentity` issues it
 * temporary credentials that expire. The local API and the streaming emulator accept only credentials issued here,
 * and map them back to their identity, as API Gateway's AWS_IAM authorization does with the real service.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export interface IssuedCredentials {
  readonly identityId: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** Epoch ms. */
  readonly expiresAt: number;
}

export interface GuestIdentityPoolOptions {
  /** `region:uuid`. */
  readonly identityPoolId: string;
  /** How long issued credentials work, seconds. @default 3600 (Cognito's guest credentials last one hour) */
  readonly credentialsTtlSeconds?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/** An identity-pool error with the service's exception name, answered as `{"__type", "message"}`. */
export class IdentityPoolError extends Error {
  constructor(
    readonly type: 'ResourceNotFoundException' | 'InvalidParameterException' | 'NotAuthorizedException',
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

/** Bounds memory: an endless loop of GetId calls cannot grow the maps without limit. */
const MAX_IDENTITIES = 100_000;

export class GuestIdentityPool {
  readonly identityPoolId: string;
  readonly region: string;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly identities = new Set<string>();
  private readonly byAccessKey = new Map<string, IssuedCredentials>();

  constructor(options: GuestIdentityPoolOptions) {
    const region = /^([a-z]{2}(?:-[a-z]+)+-\d+):[0-9a-f-]+$/.exec(options.identityPoolId)?.[1];
    if (!region) throw new Error(`"${options.identityPoolId}" is not an identity pool id (region:uuid)`);
    this.identityPoolId = options.identityPoolId;
    this.region = region;
    this.ttlMs = (options.credentialsTtlSeconds ?? 3600) * 1000;
    this.now = options.now ?? Date.now;
  }

  /** The identity ids handed out so far (tests map a stored owner reference back to the identity that owns it). */
  identityIds(): string[] {
    return [...this.identities];
  }

  /** A new guest identity (a browser or CLI without a cached identity id calls this once). */
  getId(identityPoolId: unknown, logins?: unknown): string {
    this.checkPool(identityPoolId);
    if (logins !== undefined && (typeof logins !== 'object' || logins === null || Object.keys(logins).length > 0)) {
      throw new IdentityPoolError(
        'NotAuthorizedException',
        'The local identity pool has guest (unauthenticated) identities only.',
      );
    }
    if (this.identities.size >= MAX_IDENTITIES) this.identities.clear();
    const identityId = `${this.region}:${randomUUID()}`;
    this.identities.add(identityId);
    return identityId;
  }

  /** Fresh credentials for an identity this pool made. */
  getCredentialsForIdentity(identityId: unknown): IssuedCredentials {
    if (typeof identityId !== 'string' || identityId === '') {
      throw new IdentityPoolError('InvalidParameterException', 'IdentityId is required.');
    }
    if (!this.identities.has(identityId)) {
      throw new IdentityPoolError('ResourceNotFoundException', `Identity '${identityId}' not found.`);
    }
    if (this.byAccessKey.size >= MAX_IDENTITIES) this.dropExpired();
    const issued: IssuedCredentials = {
      identityId,
      // The shapes of STS temporary credentials: ASIA + 16, a 40-character secret.
      accessKeyId: `ASIA${randomBytes(10).toString('hex').toUpperCase().slice(0, 16)}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(48).toString('base64'),
      expiresAt: this.now() + this.ttlMs,
    };
    this.byAccessKey.set(issued.accessKeyId, issued);
    return issued;
  }

  /** The credentials issued under this access key id (expired ones included: the caller tells expired from unknown). */
  lookup(accessKeyId: string): IssuedCredentials | undefined {
    return this.byAccessKey.get(accessKeyId);
  }

  isExpired(credentials: IssuedCredentials): boolean {
    return this.now() >= credentials.expiresAt;
  }

  /** Forgets every identity and credential. */
  reset(): void {
    this.identities.clear();
    this.byAccessKey.clear();
  }

  private checkPool(identityPoolId: unknown): void {
    if (typeof identityPoolId !== 'string' || identityPoolId === '') {
      throw new IdentityPoolError('InvalidParameterException', 'IdentityPoolId is required.');
    }
    if (identityPoolId !== this.identityPoolId) {
      throw new IdentityPoolError('ResourceNotFoundException', `IdentityPool '${identityPoolId}' not found.`);
    }
  }

  private dropExpired(): void {
    for (const [key, issued] of this.byAccessKey) if (this.isExpired(issued)) this.byAccessKey.delete(key);
    if (this.byAccessKey.size >= MAX_IDENTITIES) this.byAccessKey.clear();
  }
}
