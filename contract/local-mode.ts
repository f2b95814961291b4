/**
 * The fixed names of local mode (`npm start`) that the CLI, the example app's local config and the local stack all
 * need: the local identity pool stands in for a deployed stack's, so callers get guest credentials from it the same way.
 */

/** The identity pool id local mode's Cognito identity stand-in answers to (a real pool id's shape: region:uuid). */
export const LOCAL_IDENTITY_POOL_ID = 'us-east-1:00000000-0000-4000-8000-00000000c0de';

/**
 * Every port local mode listens on: the environment variable that moves it and its default (0: any free port). One
 * table, so a message about a port (already in use, a stand-in not found) names the variable of that port.
 */
export const LOCAL_PORTS = {
  api: { env: 'PORT', defaultPort: 3000, what: 'the local API' },
  emulator: { env: 'REKOGNITION_EMULATOR_PORT', defaultPort: 4010, what: 'the Rekognition emulator' },
  cognito: { env: 'LOCAL_COGNITO_PORT', defaultPort: 4020, what: 'the Cognito identity stand-in' },
  s3: { env: 'LOCAL_S3_PORT', defaultPort: 0, what: 'the local S3' },
  dynamo: { env: 'LOCAL_DYNAMODB_PORT', defaultPort: 0, what: 'the local DynamoDB' },
  web: { env: 'WEB_PORT', defaultPort: 5173, what: 'the example app' },
} as const satisfies Record<string, { readonly env: string; readonly defaultPort: number; readonly what: string }>;

export type LocalPortName = keyof typeof LOCAL_PORTS;

/** The identity stand-in's default port (LOCAL_COGNITO_PORT). */
export const LOCAL_COGNITO_DEFAULT_PORT = LOCAL_PORTS.cognito.defaultPort;

/** The local API's default port (PORT). */
export const LOCAL_API_DEFAULT_PORT = LOCAL_PORTS.api.defaultPort;

/** The Rekognition emulator's default port (REKOGNITION_EMULATOR_PORT). */
export const LOCAL_EMULATOR_DEFAULT_PORT = LOCAL_PORTS.emulator.defaultPort;

/**
 * Which variable to change when `port` is taken, given the ports a run asked for; undefined for a port it did not ask
 * for (0, any free port, cannot collide).
 */
export function localPortVariable(
  port: number,
  ports: Readonly<Partial<Record<LocalPortName, number>>>,
): (typeof LOCAL_PORTS)[LocalPortName] | undefined {
  const name = (Object.keys(LOCAL_PORTS) as LocalPortName[]).find((n) => port !== 0 && ports[n] === port);
  return name === undefined ? undefined : LOCAL_PORTS[name];
}

/**
 * Local mode's "app backend" credentials: the one fixed key pair the local API accepts on the backend routes
 * (identity verification, contract/routes.ts), standing in for the IAM role a deployment grants with
 * `grantIdentityChecks`. Guest credentials from the local identity pool are refused there (403), as IAM refuses the
 * identity pool's roles. Not a secret: local mode listens on 127.0.0.1 only and holds synthetic data.
 */
export const LOCAL_BACKEND_CREDENTIALS = {
  accessKeyId: 'AKIALOCALAPPBACKEND0',
  secretAccessKey: 'local-app-backend-secret-key-not-a-secret-0000',
} as const;

/** The principal the handlers see for a request signed with LOCAL_BACKEND_CREDENTIALS. */
export const LOCAL_BACKEND_PRINCIPAL_ARN = 'arn:aws:sts::000000000000:assumed-role/local-app-backend/local';

/** The face collection local mode creates in the Rekognition emulator at start (identity enrolment). */
export const LOCAL_FACE_COLLECTION_ID = 'face-liveness-local';

/**
 * A bucket and prefix local mode lets `POST /identity/checks` read reference photos from (`s3Object`), standing in for
 * the construct's `identity.referencePhotoSources`.
 */
export const LOCAL_REFERENCE_PHOTO_SOURCE = { bucket: 'face-liveness-id-photos-local', prefix: 'id-photos/' } as const;
