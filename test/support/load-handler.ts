/**
 * Loads a handler module in a fresh module registry with a given environment. The handlers read their configuration
 * once at import, so each configuration needs its own module instance; the Rekognition mock is built from the same
 * registry so that it patches the very client class the handler uses.
 */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type { RekognitionClient } from '@aws-sdk/client-rekognition';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import type { HttpResponse } from '../../lambda/shared/http';

export type { HttpResponse };
import { HANDLER_ENV, handlerEnvironment } from '../../contract/handler-environment';
import { HANDLER_SETTING_DEFAULTS } from '../../contract/setting-rules';

type RekognitionModule = typeof import('@aws-sdk/client-rekognition');
export type RekognitionMock = AwsClientStub<RekognitionClient>;
export type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<HttpResponse>;

export interface LoadedHandler {
  readonly handler: Handler;
  readonly rekognition: RekognitionMock;
  /** The SDK module of the handler's registry: use its command and exception classes with the mock. */
  readonly sdk: RekognitionModule;
  /** The identity function's S3 client, mocked (route 'identity' only), and its SDK module. */
  readonly s3?: AwsClientStub<import('@aws-sdk/client-s3').S3Client>;
  readonly s3Sdk?: typeof import('@aws-sdk/client-s3');
}

export const TEST_REGION = 'eu-west-1';

/** A valid configuration, written by the construct's own mapping; tests override single variables. */
export const BASE_ENV: Readonly<Record<string, string>> = {
  AWS_REGION: TEST_REGION,
  // Fixed fake credentials: presigned URLs are then deterministic enough to assert on, and nothing looks further.
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_EC2_METADATA_DISABLED: 'true',
  ...handlerEnvironment(
    {
      ...HANDLER_SETTING_DEFAULTS,
      allowedOrigins: ['https://app.example.com', 'http://localhost:5173'],
      pollRetryAfterSeconds: 2,
    },
    undefined,
    'face-liveness-sessions-test',
  ),
  // Nothing listens there: a test that needs the table starts one (support/session-table.ts) and overrides this, and
  // one that forgets gets a refused connection, never a call to AWS.
  [HANDLER_ENV.DYNAMODB_ENDPOINT]: 'http://127.0.0.1:9',
  [HANDLER_ENV.POWERTOOLS_SERVICE_NAME]: 'face-liveness-test',
  [HANDLER_ENV.POWERTOOLS_METRICS_NAMESPACE]: 'FaceLivenessTest',
};

const CLEARED = [...Object.values(HANDLER_ENV), 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_DEFAULT_REGION'];

/** `undefined` in `env` removes a variable from the base. */
export function setHandlerEnv(env: Readonly<Record<string, string | undefined>> = {}): void {
  for (const name of CLEARED) delete process.env[name];
  for (const [name, value] of Object.entries({ ...BASE_ENV, ...env })) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}

/** `mock: false` keeps the real client, for tests against a local HTTP server. */
export function loadHandler(
  route: 'create-session' | 'get-result' | 'identity',
  env: Readonly<Record<string, string | undefined>> = {},
  { mock = true }: { readonly mock?: boolean } = {},
): LoadedHandler {
  setHandlerEnv(env);
  let loaded: LoadedHandler | undefined;
  jest.isolateModules(() => {
    // mockClient itself comes from the test's registry, so aws-sdk-client-mock-jest's matchers recognise the stub.
    const sdk = require('@aws-sdk/client-rekognition') as RekognitionModule;
    const rekognition = mockClient(sdk.RekognitionClient);
    if (!mock) rekognition.restore();
    const s3Sdk =
      route === 'identity' ? (require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3')) : undefined;
    const s3 = s3Sdk === undefined ? undefined : mockClient(s3Sdk.S3Client);
    if (!mock) s3?.restore();
    const { handler } = require(`../../lambda/${route}/index`) as { handler: Handler };
    loaded = { handler, rekognition, sdk, ...(s3 !== undefined && { s3, s3Sdk }) };
  });
  return loaded!;
}

/** An error as the SDK throws it for a wire `__type`: matched by name, like the handlers do. */
export function awsError(
  name: string,
  message = `${name} from Rekognition`,
  extra: Record<string, unknown> = {},
): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 }, ...extra });
}
