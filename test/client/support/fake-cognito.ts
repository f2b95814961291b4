/**
 * A tiny Cognito identity service: GetId and GetCredentialsForIdentity over the JSON 1.1 protocol, for one identity
 * pool with guest access. It issues short-lived credentials and remembers them, so a SigV4 verifier can check them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { startServer, type RecordedRequest, type Reply, type TestServer } from './http-server';
import type { IssuedCredentials } from './sigv4-verifier';

export interface FakeCognitoOptions {
  readonly identityPoolId: string;
  /** Lifetime of issued credentials, seconds. @default 3600 */
  readonly credentialsTtlSeconds?: number;
}

export interface FakeCognito {
  /** The endpoint to pass as `endpoint` (origin + `/`). */
  readonly endpoint: string;
  readonly requests: RecordedRequest[];
  /** Every access key issued so far, for a SigV4 verifier. */
  readonly issued: Map<string, IssuedCredentials>;
  /** Operation names in call order, e.g. ['GetId', 'GetCredentialsForIdentity']. */
  readonly calls: string[];
  /** Makes the next calls fail with this AWS error type and status. */
  failNext(type: string, status: number, times?: number): void;
  close(): Promise<void>;
}

export async function startFakeCognito(options: FakeCognitoOptions): Promise<FakeCognito> {
  const issued = new Map<string, IssuedCredentials>();
  const identities = new Set<string>();
  const calls: string[] = [];
  const failures: { type: string; status: number }[] = [];
  const region = options.identityPoolId.split(':')[0]!;

  const handle = (request: RecordedRequest): Reply => {
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = target.replace(/^AWSCognitoIdentityService\./, '');
    calls.push(operation);
    if (request.method !== 'POST' || request.url !== '/') return error(404, 'UnknownOperationException', 'Not found.');
    if (request.headers['content-type'] !== 'application/x-amz-json-1.1') {
      return error(400, 'SerializationException', 'Expected application/x-amz-json-1.1.');
    }
    // Both calls are public APIs: a signed request here would mean the client leaked some other credentials.
    if (request.headers.authorization)
      return error(400, 'InvalidParameterException', 'Unexpected Authorization header.');
    const failure = failures.shift();
    if (failure) return error(failure.status, failure.type, `Scripted ${failure.type}.`);
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(request.body) as Record<string, unknown>;
    } catch {
      return error(400, 'SerializationException', 'Body is not JSON.');
    }
    if (operation === 'GetId') {
      if (input['IdentityPoolId'] !== options.identityPoolId) {
        return error(400, 'ResourceNotFoundException', `IdentityPool '${String(input['IdentityPoolId'])}' not found.`);
      }
      const identityId = `${region}:${randomUUID()}`;
      identities.add(identityId);
      return ok({ IdentityId: identityId });
    }
    if (operation === 'GetCredentialsForIdentity') {
      const identityId = input['IdentityId'];
      if (typeof identityId !== 'string' || !identities.has(identityId)) {
        return error(400, 'ResourceNotFoundException', 'Identity not found.');
      }
      if (input['Logins'] !== undefined)
        return error(400, 'NotAuthorizedException', 'Guest identities send no Logins.');
      const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
      const secretAccessKey = randomBytes(30).toString('base64');
      const sessionToken = randomBytes(64).toString('base64');
      issued.set(accessKeyId, { secretAccessKey, sessionToken });
      return ok({
        IdentityId: identityId,
        Credentials: {
          AccessKeyId: accessKeyId,
          SecretKey: secretAccessKey,
          SessionToken: sessionToken,
          // JSON 1.1 timestamps: epoch seconds, fractional.
          Expiration: Date.now() / 1000 + (options.credentialsTtlSeconds ?? 3600),
        },
      });
    }
    return error(400, 'UnknownOperationException', `Unknown operation ${target}.`);
  };

  const server: TestServer = await startServer(handle);
  return {
    endpoint: `${server.origin}/`,
    requests: server.requests,
    issued,
    calls,
    failNext: (type, status, times = 1) => {
      for (let i = 0; i < times; i++) failures.push({ type, status });
    },
    close: () => server.close(),
  };
}

const ok = (body: unknown): Reply => ({
  status: 200,
  headers: { 'Content-Type': 'application/x-amz-json-1.1' },
  body: JSON.stringify(body),
});

const error = (status: number, type: string, message: string): Reply => ({
  status,
  headers: { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-ErrorType': type },
  body: JSON.stringify({ __type: type, message }),
});
