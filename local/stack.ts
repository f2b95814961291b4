/**
 * The whole backend on 127.0.0.1: a local S3 (s3rver), the Rekognition Face Liveness emulator, a local DynamoDB
 * (dynalite) holding the session table, and the local API running the real handlers with the same environment the CDK
 * construct gives them (lib/handler-environment.ts).
 *
 * The handlers read their configuration once, when first loaded: start one local stack per process (jest runs each
 * test file in its own module registry, so one per test file).
 */
import { HANDLER_ENV, IMAGE_KEY_PREFIX, handlerEnvironment } from '../contract/handler-environment';
import { resolveSettings, type FaceLivenessSettings } from '../lib/settings';
import { startLocalApi, type LocalApi, type ProxyHandler } from './api/server';
import { startLocalDynamo, type LocalDynamo } from './dynamo/local-dynamo';
import { startRekognitionEmulator, type RekognitionEmulator, type RekognitionEmulatorOptions } from './emulator';
import { startLocalS3, type LocalS3 } from './s3/local-s3';

/** The bucket local mode stores images in. */
export const LOCAL_IMAGE_BUCKET = 'face-liveness-images-local';
/** Local mode's region: any Face Liveness region would do; nothing leaves the machine. */
export const LOCAL_REGION = 'us-east-1';

export interface LocalStackOptions {
  /** @default 3000; 0 picks a free port */
  readonly apiPort?: number;
  /** @default 4010; 0 picks a free port */
  readonly emulatorPort?: number;
  /** @default 0 (a free port) */
  readonly s3Port?: number;
  /** @default 0 (a free port) */
  readonly dynamoPort?: number;
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
  readonly onRequest?: (line: string) => void;
}

export interface LocalStack {
  readonly api: LocalApi;
  readonly emulator: RekognitionEmulator;
  readonly s3: LocalS3;
  /** The session table (ownership, verdicts, failure lockout), with fault injection. */
  readonly dynamo: LocalDynamo;
  /** The environment the handlers run with (no secrets: local dummy credentials only). */
  readonly handlerEnv: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const settings = resolveSettings(options.settings);
  const started: { close(): Promise<void> }[] = [];
  const closeAll = async () => {
    await Promise.allSettled(started.reverse().map((s) => s.close()));
  };
  try {
    const s3 = await startLocalS3({ port: options.s3Port ?? 0, buckets: [LOCAL_IMAGE_BUCKET] });
    started.push(s3);
    const emulator = await startRekognitionEmulator({
      ...options.emulator,
      port: options.emulatorPort ?? 4010,
      s3: { endpoint: s3.url, credentials: s3.credentials, region: s3.region },
    });
    started.push(emulator);
    const dynamo = await startLocalDynamo({ port: options.dynamoPort ?? 0 });
    started.push(dynamo);

    const handlerEnv = localHandlerEnvironment(settings, { rekognition: emulator.url, s3: s3.url, dynamo }, options.honourEnvironment ?? true);
    Object.assign(process.env, handlerEnv);
    // A session token from the developer's own shell would pair with the wrong keys.
    delete process.env.AWS_SESSION_TOKEN;
    const loaded = await loadHandlers();
    const handlers = options.holdBrowserSessions ? { ...loaded, createSession: holdingBrowserSessions(loaded.createSession, emulator) } : loaded;

    const api = await startLocalApi({
      handlers,
      allowedOrigins: (handlerEnv[HANDLER_ENV.ALLOWED_ORIGINS] ?? '').split(','),
      port: options.apiPort ?? 3000,
      timeoutMs: settings.functionTimeoutSeconds * 1000,
      ...(options.onRequest && { onRequest: options.onRequest }),
    });
    started.push(api);
    return { api, emulator, s3, dynamo, handlerEnv, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

const LOCAL_ENDPOINTS: readonly string[] = [HANDLER_ENV.REKOGNITION_ENDPOINT, HANDLER_ENV.S3_ENDPOINT, HANDLER_ENV.DYNAMODB_ENDPOINT, HANDLER_ENV.SESSION_TABLE_NAME];

function localHandlerEnvironment(
  settings: FaceLivenessSettings,
  local: { readonly rekognition: string; readonly s3: string; readonly dynamo: LocalDynamo },
  honourEnvironment: boolean,
): Record<string, string> {
  const env: Record<string, string> = {
    ...handlerEnvironment(settings, settings.storeImages ? { bucketName: LOCAL_IMAGE_BUCKET } : undefined, local.dynamo.tableName),
    [HANDLER_ENV.REKOGNITION_ENDPOINT]: local.rekognition,
    [HANDLER_ENV.S3_ENDPOINT]: local.s3,
    [HANDLER_ENV.DYNAMODB_ENDPOINT]: local.dynamo.url,
    AWS_REGION: LOCAL_REGION,
    // s3rver's fixed key pair: presigned URLs must name it. The emulator only checks that requests are SigV4-shaped.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    [HANDLER_ENV.METRICS_DISABLED]: 'true',
    [HANDLER_ENV.LOG_LEVEL]: process.env[HANDLER_ENV.LOG_LEVEL] ?? 'WARN',
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

async function loadHandlers(): Promise<Record<'createSession' | 'getResult', ProxyHandler>> {
  const [create, result] = await Promise.all([import('../lambda/create-session/index'), import('../lambda/get-result/index')]);
  return { createSession: create.handler as ProxyHandler, getResult: result.handler as ProxyHandler };
}
