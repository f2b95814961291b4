/**
 * The whole backend on 127.0.0.1: a local S3 (in memory), the Rekognition Face Liveness emulator, a local DynamoDB
 * (in memory) holding the session table, a Cognito identity pool stand-in issuing guest credentials, and the local API
 * running the real handlers with the same environment the CDK construct gives them (lib/handler-environment.ts),
 * behind the same SigV4 check as the deployed API's AWS_IAM authorization.
 *
 * The handlers read their configuration once, when first loaded: start one local stack per process (jest runs each
 * test file in its own module registry, so one per test file).
 */
import { HANDLER_ENV, IMAGE_KEY_PREFIX, handlerEnvironment } from '../contract/handler-environment';
import { LOCAL_IDENTITY_POOL_ID } from '../contract/local-mode';
import { resolveSettings, type FaceLivenessSettings } from '../bin/settings';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startLocalApi, type LocalApi, type ProxyHandler } from './api';
import { startHandlerThread, type HandlerThread } from './api/handler-thread';
import { startLocalDynamo, type LocalDynamo } from './dynamodb';
import {
  startRekognitionEmulator,
  type RekognitionEmulator,
  type RekognitionEmulatorOptions,
} from './emulators/rekognition';
import { DirectImageSink } from './emulators/rekognition';
import {
  GuestIdentityPool,
  startCognitoIdentityStandIn,
  type CognitoIdentityStandIn,
} from './emulators/cognito-identity';
import { startLocalKms, type LocalKms } from './emulators/kms';
import { LOCAL_S3_CREDENTIALS, startLocalS3, type LocalS3 } from './s3';

/** The bucket local mode stores images in. */
export const LOCAL_IMAGE_BUCKET = 'face-liveness-images-local';
/** Local mode's region: any Face Liveness region would do; nothing leaves the machine. */
export const LOCAL_REGION = 'us-east-1';

export interface LocalBackendOptions {
  /** @default 3000; 0 picks a free port */
  readonly apiPort?: number;
  /** @default 4010; 0 picks a free port */
  readonly emulatorPort?: number;
  /** @default 0 (a free port) */
  readonly s3Port?: number;
  /** @default 0 (a free port) */
  readonly dynamoPort?: number;
  /** The Cognito identity stand-in's port. @default 0 (a free port) */
  readonly cognitoPort?: number;
  /**
   * 'iam': every API request must be SigV4-signed with credentials the identity stand-in issued, as deployed
   * (authMode 'iam'). 'none': nothing is checked; a caller is `local:<access key id>` or `local:anonymous` (for curl).
   * @default 'iam'
   */
  readonly auth?: LocalAuth;
  /** How long the identity stand-in's guest credentials work, seconds. @default 3600 */
  readonly credentialsTtlSeconds?: number;
  /** Settings as for a deployment (same names and defaults as `cdk deploy -c name=value`). */
  readonly settings?: Partial<FaceLivenessSettings>;
  /** Emulator options (defaults for new sessions, faults, clock). */
  readonly emulator?: Omit<RekognitionEmulatorOptions, 'port' | 's3'>;
  /**
   * Sessions created by a browser (a request with an Origin header) wait for the video stream instead of completing by
   * themselves, so the example app's detector can stream to them; the CLI's sessions still complete on their own.
   * @default false
   */
  readonly holdBrowserSessions?: boolean;
  /** Handler variables set in the environment win over the settings (e.g. `EXPOSE_DETAILS=true npm start`). @default true */
  readonly honourEnvironment?: boolean;
  /**
   * Run the handlers on a worker thread of their own (local/api/handler-thread.ts), so that they and the stand-ins use
   * two cores; needs a TypeScript runner that reaches workers (tsx). @default false (in this thread, as under jest)
   */
  readonly handlerThread?: boolean;
  readonly onRequest?: (line: string) => void;
}

export type LocalAuth = 'iam' | 'none';

export interface LocalBackend {
  readonly api: LocalApi;
  /** The Cognito identity pool stand-in: guest credentials for the API and the streaming emulator. */
  readonly identity: CognitoIdentityStandIn;
  readonly auth: LocalAuth;
  readonly emulator: RekognitionEmulator;
  readonly s3: LocalS3;
  /** The session table (ownership, verdicts, failure lockout), with fault injection. */
  readonly dynamo: LocalDynamo;
  /** The local KMS stand-in holding the attestation key. */
  readonly kms: LocalKms;
  /** The environment the handlers run with (no secrets: local dummy credentials only). */
  readonly handlerEnv: Readonly<Record<string, string>>;
  /** The handlers' worker thread, when `handlerThread` is on. */
  readonly handlerThread?: HandlerThread;
  close(): Promise<void>;
}

export async function startLocalBackend(options: LocalBackendOptions = {}): Promise<LocalBackend> {
  const settings = resolveSettings(options.settings);
  const started: { close(): Promise<void> }[] = [];
  const closeAll = async () => {
    await Promise.allSettled(started.reverse().map((s) => s.close()));
  };
  try {
    const auth = options.auth ?? 'iam';
    const s3 = await startLocalS3({ port: options.s3Port ?? 0, buckets: [LOCAL_IMAGE_BUCKET] });
    started.push(s3);
    const dynamo = await startLocalDynamo({ port: options.dynamoPort ?? 0 });
    started.push(dynamo);
    const emulator = await startRekognitionEmulator({
      ...options.emulator,
      port: options.emulatorPort ?? 4010,
      // In-process: the images land in the local S3 as a PutObject would put them, without a round trip each.
      imageSink: new DirectImageSink(s3.direct),
      lockouts: { clear: () => dynamo.clearLockouts() },
    });
    started.push(emulator);

    const kms = await startLocalKms({ region: LOCAL_REGION });
    started.push(kms);

    const handlerEnv = localHandlerEnvironment(
      settings,
      { rekognition: emulator.url, s3: s3.url, dynamo, kms },
      options.honourEnvironment ?? true,
    );
    Object.assign(process.env, handlerEnv);
    // A session token from the developer's own shell would pair with the wrong keys.
    delete process.env.AWS_SESSION_TOKEN;
    let loaded: Record<'createSession' | 'getResult', ProxyHandler>;
    let handlerThread: HandlerThread | undefined;
    if (options.handlerThread) {
      handlerThread = await startHandlerThread(HANDLER_MODULES);
      started.push(handlerThread);
      loaded = handlerThread.handlers;
    } else {
      loaded = await loadHandlers();
    }
    const handlers = options.holdBrowserSessions
      ? { ...loaded, createSession: holdingBrowserSessions(loaded.createSession, emulator) }
      : loaded;

    const allowedOrigins = (handlerEnv[HANDLER_ENV.ALLOWED_ORIGINS] ?? '').split(',');
    const pool = new GuestIdentityPool({
      identityPoolId: LOCAL_IDENTITY_POOL_ID,
      ...(options.credentialsTtlSeconds !== undefined && { credentialsTtlSeconds: options.credentialsTtlSeconds }),
    });
    const identity = await startCognitoIdentityStandIn({ pool, allowedOrigins, port: options.cognitoPort ?? 0 });
    started.push(identity);

    const api = await startLocalApi({
      handlers,
      allowedOrigins,
      ...(auth === 'iam' && { identityPool: pool }),
      port: options.apiPort ?? 3000,
      jwks: await loadJwksHandler(),
      timeoutMs: settings.functionTimeoutSeconds * 1000,
      ...(options.onRequest && { onRequest: options.onRequest }),
    });
    started.push(api);
    return {
      api,
      identity,
      auth,
      emulator,
      s3,
      dynamo,
      kms,
      handlerEnv,
      ...(handlerThread && { handlerThread }),
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

const LOCAL_ENDPOINTS: readonly string[] = [
  HANDLER_ENV.REKOGNITION_ENDPOINT,
  HANDLER_ENV.S3_ENDPOINT,
  HANDLER_ENV.DYNAMODB_ENDPOINT,
  HANDLER_ENV.SESSION_TABLE_NAME,
  HANDLER_ENV.KMS_ENDPOINT,
  HANDLER_ENV.ATTESTATION_KEY_ID,
];

/** The `iss` of local mode's attestations, unless the attestationIssuer setting says otherwise. */
export const LOCAL_ATTESTATION_ISSUER = 'urn:face-liveness:local';

function localHandlerEnvironment(
  settings: FaceLivenessSettings,
  local: { readonly rekognition: string; readonly s3: string; readonly dynamo: LocalDynamo; readonly kms: LocalKms },
  honourEnvironment: boolean,
): Record<string, string> {
  const env: Record<string, string> = {
    ...handlerEnvironment(
      settings,
      settings.storeImages ? { bucketName: LOCAL_IMAGE_BUCKET } : undefined,
      local.dynamo.tableName,
      {
        keyArn: local.kms.keyArn,
        issuer: settings.attestationIssuer ?? LOCAL_ATTESTATION_ISSUER,
        ...(settings.attestationAudience !== undefined && { audience: settings.attestationAudience }),
      },
    ),
    [HANDLER_ENV.KMS_ENDPOINT]: local.kms.url,
    [HANDLER_ENV.REKOGNITION_ENDPOINT]: local.rekognition,
    [HANDLER_ENV.S3_ENDPOINT]: local.s3,
    [HANDLER_ENV.DYNAMODB_ENDPOINT]: local.dynamo.url,
    AWS_REGION: LOCAL_REGION,
    // The local S3's key pair: presigned URLs must name it. The emulator only checks that requests are SigV4-shaped.
    AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
    [HANDLER_ENV.POWERTOOLS_METRICS_DISABLED]: 'true',
    // The owner references of this run: both handlers (on any thread) must compute the same ones.
    [HANDLER_ENV.OWNER_REF_KEY]: randomBytes(32).toString('base64url'),
    [HANDLER_ENV.POWERTOOLS_LOG_LEVEL]: process.env[HANDLER_ENV.POWERTOOLS_LOG_LEVEL] ?? 'WARN',
  };
  if (honourEnvironment) {
    for (const name of Object.values(HANDLER_ENV)) {
      const value = process.env[name];
      if (value !== undefined && !LOCAL_ENDPOINTS.includes(name)) env[name] = value;
    }
  }
  if (env[HANDLER_ENV.IMAGE_BUCKET] === undefined) delete env[HANDLER_ENV.IMAGE_KEY_PREFIX];
  else env[HANDLER_ENV.IMAGE_KEY_PREFIX] ??= IMAGE_KEY_PREFIX;
  return env;
}

function holdingBrowserSessions(create: ProxyHandler, emulator: RekognitionEmulator): ProxyHandler {
  return async (event, context) => {
    const result = await create(event, context);
    const fromBrowser = Object.keys(event.headers ?? {}).some((name) => name.toLowerCase() === 'origin');
    if (fromBrowser && result && result.statusCode === 201) {
      try {
        const { sessionId } = JSON.parse(result.body) as { sessionId?: string };
        if (sessionId) emulator.sessions.hold(sessionId);
      } catch {
        // An idempotent repeat of a session that already started cannot be held; it behaves as created.
      }
    }
    return result;
  };
}

const HANDLER_MODULES = {
  createSession: join(__dirname, '..', 'lambda', 'create-session', 'index.ts'),
  getResult: join(__dirname, '..', 'lambda', 'get-result', 'index.ts'),
};

async function loadHandlers(): Promise<Record<'createSession' | 'getResult', ProxyHandler>> {
  const [create, result] = await Promise.all([
    import('../lambda/create-session/index'),
    import('../lambda/get-result/index'),
  ]);
  return { createSession: create.handler as ProxyHandler, getResult: result.handler as ProxyHandler };
}

/** The JWK Set handler runs on this thread in either mode: it is not one of the API's routes, and verifiers cache it. */
async function loadJwksHandler(): Promise<ProxyHandler> {
  return (await import('../lambda/jwks/index')).handler as ProxyHandler;
}
