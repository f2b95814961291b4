/**
 * The app's configuration, read on the server at request time from the environment (the same fields as the example
 * app's liveness-config.json: contract/frontend-config.ts). `LIVENESS_*` is read when each request is rendered, so one
 * build serves every environment; `NEXT_PUBLIC_LIVENESS_*` is the fallback, fixed at build time.
 */
import type { FrontendConfig } from '../../../contract/frontend-config';

export type AppConfig = Omit<FrontendConfig, 'local' | 'localStreamingEndpoint'>;

const CHALLENGES = ['FaceMovementAndLightChallenge', 'FaceMovementChallenge'] as const;

/** The build-time copies: Next inlines `process.env.NEXT_PUBLIC_*` only when written out in full. */
const PUBLIC: Record<string, string | undefined> = {
  API_URL: process.env.NEXT_PUBLIC_LIVENESS_API_URL,
  REGION: process.env.NEXT_PUBLIC_LIVENESS_REGION,
  IDENTITY_POOL_ID: process.env.NEXT_PUBLIC_LIVENESS_IDENTITY_POOL_ID,
  COGNITO_IDENTITY_ENDPOINT: process.env.NEXT_PUBLIC_LIVENESS_COGNITO_IDENTITY_ENDPOINT,
  AUTH_MODE: process.env.NEXT_PUBLIC_LIVENESS_AUTH_MODE,
  BINARY_PATH: process.env.NEXT_PUBLIC_LIVENESS_BINARY_PATH,
  FACE_MODEL_URL: process.env.NEXT_PUBLIC_LIVENESS_FACE_MODEL_URL,
  CHALLENGE: process.env.NEXT_PUBLIC_LIVENESS_CHALLENGE,
};

function setting(name: string): string | undefined {
  const value = process.env[`LIVENESS_${name}`] ?? PUBLIC[name];
  return value === undefined || value === '' ? undefined : value;
}

export class ConfigError extends Error {}

export function appConfig(): AppConfig {
  const missing = ['API_URL', 'REGION', 'IDENTITY_POOL_ID'].filter((name) => setting(name) === undefined);
  if (missing.length > 0) {
    throw new ConfigError(`Set ${missing.map((m) => `LIVENESS_${m}`).join(', ')} (or NEXT_PUBLIC_LIVENESS_*).`);
  }
  const authMode = setting('AUTH_MODE') ?? 'iam';
  if (authMode !== 'iam' && authMode !== 'none') throw new ConfigError('LIVENESS_AUTH_MODE must be iam or none.');
  const challenge = setting('CHALLENGE');
  if (challenge !== undefined && !(CHALLENGES as readonly string[]).includes(challenge)) {
    throw new ConfigError(`LIVENESS_CHALLENGE must be one of ${CHALLENGES.join(', ')}.`);
  }
  const optional = (name: string) => setting(name);
  return {
    apiUrl: setting('API_URL')!,
    region: setting('REGION')!,
    identityPoolId: setting('IDENTITY_POOL_ID')!,
    authMode,
    // The wasm binaries are always self-hosted: scripts/copy-assets.mjs puts them in public/tfjs-wasm/.
    binaryPath: optional('BINARY_PATH') ?? '/tfjs-wasm/',
    ...(optional('FACE_MODEL_URL') !== undefined && { faceModelUrl: optional('FACE_MODEL_URL')! }),
    ...(optional('COGNITO_IDENTITY_ENDPOINT') !== undefined && {
      cognitoIdentityEndpoint: optional('COGNITO_IDENTITY_ENDPOINT')!,
    }),
    ...(challenge !== undefined && { challenge: challenge as AppConfig['challenge'] & string }),
  };
}
