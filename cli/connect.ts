/**
 * Which API to talk to and how to authenticate, from the flags, a frontend config file and the environment, in that
 * order. An IAM-auth deployment is called exactly as the browser calls it: guest credentials from the identity pool.
 * Local mode (`npm start`) is called the same way: the default API, or an API on this machine when LOCAL_COGNITO_PORT
 * or LIVENESS_COGNITO_ENDPOINT names the stand-in, gets its guest credentials from local mode's identity pool stand-in.
 *
 * The identity routes are the app backend's, never the browser's: they are signed with local mode's fixed app-backend
 * key pair against local mode, and with the AWS_* credentials of the environment against a deployment.
 */
import { readFile } from 'node:fs/promises';
import {
  cognitoGuestCredentials,
  createLivenessClient,
  regionFromApiUrl,
  type Clock,
  type LivenessClient,
  type RequestSigner,
} from '../client';
import { createIdentityChecks, type IdentityChecks } from '../client/identity-checks';
import type { AwsCredentials } from '../client/request-signer';
import {
  LOCAL_API_DEFAULT_PORT,
  LOCAL_BACKEND_CREDENTIALS,
  LOCAL_COGNITO_DEFAULT_PORT,
  LOCAL_IDENTITY_POOL_ID,
} from '../contract/local-mode';
import type { AuthMode } from '../contract/setting-rules';
import type { FrontendConfig } from './frontend-config';
import type { ConnectionArgs } from './args';
import { identityKey, type IdentityCache } from './identity-cache';

/** Every mode, checked at compile time against the backend's setting. */
const AUTH_MODES: Record<AuthMode, string> = {
  iam: 'SigV4 with guest credentials from the identity pool',
  cognito: 'a user-pool token from $LIVENESS_AUTH_TOKEN',
  none: 'no authentication',
};

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface ConnectDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly fetch?: typeof fetch;
  readonly clock?: Clock;
  readonly readFile?: (path: string) => Promise<string>;
  /** Where guest identities are kept between runs. @default none: a new identity per run */
  readonly identities?: IdentityCache;
  /** A problem worth a line on stderr that does not stop the command (the identity cache cannot be written). */
  readonly warn?: (message: string) => void;
}

export interface Connection {
  readonly client: LivenessClient;
  /** Where the URL came from, for error hints. */
  readonly source: 'flag' | 'config' | 'env' | 'default';
  readonly signed: boolean;
  /** The identity stand-in of local mode the credentials come from, when they do. */
  readonly localIdentityEndpoint?: string;
  /**
   * The identity routes, signed as the app's backend: local mode's key pair, or the environment's AWS credentials.
   * Throws a ConfigError naming the variables when a deployment's are not set.
   */
  identityChecks(): IdentityChecks;
  /** Whose credentials sign the identity routes, for messages. */
  readonly backendCredentials: 'local' | 'environment';
}

export async function connect(args: ConnectionArgs, deps: ConnectDeps): Promise<Connection> {
  const config = args.config === undefined ? undefined : await loadConfig(args.config, deps.readFile);
  const envUrl = deps.env['LIVENESS_API_URL'] || undefined;
  const [apiUrl, source]: [string, Connection['source']] =
    args.api !== undefined
      ? [args.api, 'flag']
      : config
        ? [config.apiUrl, 'config']
        : envUrl
          ? [envUrl, 'env']
          : [`http://127.0.0.1:${deps.env['PORT'] || String(LOCAL_API_DEFAULT_PORT)}`, 'default'];

  // Local mode's identity pool: for the default API (npm start's), or an API on this machine when the stand-in is named.
  const namedStandIn = deps.env['LIVENESS_COGNITO_ENDPOINT'] || deps.env['LOCAL_COGNITO_PORT'];
  const local = config === undefined && isLoopback(apiUrl) && (source === 'default' || Boolean(namedStandIn));
  const pool =
    config?.authMode === 'iam'
      ? config
      : local
        ? {
            identityPoolId: LOCAL_IDENTITY_POOL_ID,
            region: LOCAL_IDENTITY_POOL_ID.split(':')[0]!,
            cognitoIdentityEndpoint: undefined,
          }
        : undefined;
  const signed = pool !== undefined || (config !== undefined && config.authMode !== 'none');
  // The real identity service is derived from the region; emulators and local mode name theirs.
  const localStandIn =
    local && !deps.env['LIVENESS_COGNITO_ENDPOINT']
      ? `http://127.0.0.1:${deps.env['LOCAL_COGNITO_PORT'] || String(LOCAL_COGNITO_DEFAULT_PORT)}/`
      : undefined;
  const endpoint = deps.env['LIVENESS_COGNITO_ENDPOINT'] || pool?.cognitoIdentityEndpoint || localStandIn;
  const credentials = pool ? guestCredentials(pool, apiUrl, endpoint, args.newIdentity === true, deps) : undefined;
  const signer = config?.authMode === 'cognito' ? bearer(deps.env['LIVENESS_AUTH_TOKEN']) : undefined;
  const client = createLivenessClient({
    apiUrl,
    fetch: deps.fetch,
    clock: deps.clock,
    credentials,
    signer,
    region: pool?.region ?? config?.region,
  });
  const localBackend = local || (config?.cognitoIdentityEndpoint !== undefined && isLoopback(apiUrl));
  const identityChecks = (): IdentityChecks =>
    createIdentityChecks({
      apiUrl,
      fetch: deps.fetch,
      clock: deps.clock,
      credentials: localBackend ? LOCAL_BACKEND_CREDENTIALS : environmentCredentials(deps.env),
      region: localBackend
        ? LOCAL_IDENTITY_POOL_ID.split(':')[0]!
        : (config?.region ?? regionFromUrl(apiUrl) ?? (deps.env['AWS_REGION'] || deps.env['AWS_DEFAULT_REGION'])),
    });
  return {
    client,
    source,
    signed,
    ...(pool && localStandIn && { localIdentityEndpoint: localStandIn }),
    identityChecks,
    backendCredentials: localBackend ? 'local' : 'environment',
  };
}

/** The app backend's credentials as the AWS SDKs and CLI read them from the environment (no profile files). */
function environmentCredentials(env: ConnectDeps['env']): AwsCredentials {
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  if (!accessKeyId || !secretAccessKey) {
    throw new ConfigError(
      'the identity routes are signed with your app backend’s credentials: set AWS_ACCESS_KEY_ID and ' +
        'AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones) of a principal granted with ' +
        'grantIdentityChecks. Profiles are not read.',
    );
  }
  const sessionToken = env['AWS_SESSION_TOKEN'] || undefined;
  return { accessKeyId, secretAccessKey, ...(sessionToken && { sessionToken }) };
}

function regionFromUrl(url: string): string | undefined {
  try {
    return regionFromApiUrl(url);
  } catch {
    return undefined;
  }
}

/** Guest credentials from the identity pool, with the identity this API was called with last time (if kept). */
function guestCredentials(
  pool: { readonly identityPoolId: string; readonly region: string },
  apiUrl: string,
  endpoint: string | undefined,
  newIdentity: boolean,
  deps: ConnectDeps,
): ReturnType<typeof cognitoGuestCredentials> {
  const { identities } = deps;
  // The stand-in's endpoint is part of the key: another local mode on another port has identities of its own.
  const key = identityKey(endpoint ? `${apiUrl} via ${endpoint}` : apiUrl, pool.identityPoolId);
  const cached = (): string | undefined => {
    try {
      if (newIdentity) identities?.delete(key);
      else return identities?.get(key);
    } catch (error) {
      deps.warn?.(`Could not read the identity cache: ${(error as Error).message}`);
    }
    return undefined;
  };
  return cognitoGuestCredentials({
    identityPoolId: pool.identityPoolId,
    region: pool.region,
    fetch: deps.fetch,
    endpoint,
    clock: deps.clock,
    identityId: cached(),
    onIdentityId: (identityId) => {
      try {
        identities?.set(key, identityId);
      } catch (error) {
        deps.warn?.(
          `Could not keep the guest identity for the next run (${(error as Error).message}): ` +
            'a session created now can only be read in this run.',
        );
      }
    },
  });
}

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

/** API Gateway's Cognito user-pool authorizer reads the token from the Authorization header as it is. */
function bearer(token: string | undefined): RequestSigner {
  if (!token) {
    throw new ConfigError(
      'the API uses authMode "cognito": set LIVENESS_AUTH_TOKEN to a user-pool token of a signed-in user.',
    );
  }
  return async ({ headers }) => {
    headers.set('Authorization', token);
    return headers;
  };
}

/** A frontend config; local mode's also names its identity stand-in's endpoint. */
type CliConfig = FrontendConfig & { readonly cognitoIdentityEndpoint?: string };

async function loadConfig(path: string, read: ((path: string) => Promise<string>) | undefined): Promise<CliConfig> {
  let text: string;
  try {
    text = await (read ?? ((p: string) => readFile(p, 'utf8')))(path);
  } catch (error) {
    throw new ConfigError(`cannot read the config file ${path}: ${(error as Error).message}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ConfigError(`the config file ${path} is not JSON.`);
  }
  const c = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof c['apiUrl'] !== 'string' || !c['apiUrl']) problems.push('"apiUrl" (a URL) is missing');
  if (typeof c['region'] !== 'string' || !c['region']) problems.push('"region" is missing');
  const authMode = c['authMode'];
  if (typeof authMode !== 'string' || !Object.hasOwn(AUTH_MODES, authMode)) {
    problems.push(
      `"authMode" must be one of ${Object.entries(AUTH_MODES)
        .map(([mode, what]) => `"${mode}" (${what})`)
        .join(', ')}`,
    );
  }
  if (authMode === 'iam' && (typeof c['identityPoolId'] !== 'string' || !c['identityPoolId'])) {
    problems.push('"identityPoolId" is required with authMode "iam"');
  }
  if (problems.length > 0) throw new ConfigError(`the config file ${path} is not usable: ${problems.join('; ')}.`);
  return {
    apiUrl: c['apiUrl'] as string,
    region: c['region'] as string,
    // Only "iam" needs it, and then it was checked above.
    identityPoolId: typeof c['identityPoolId'] === 'string' ? c['identityPoolId'] : '',
    authMode: authMode as AuthMode,
    ...(typeof c['cognitoIdentityEndpoint'] === 'string' && { cognitoIdentityEndpoint: c['cognitoIdentityEndpoint'] }),
  };
}
