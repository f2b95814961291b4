/**
 * The runtime configuration, fetched at start from `liveness-config.json` next to the app, so one build serves every
 * environment. `face-liveness config` (cli/frontend-config.ts) writes it from `cdk deploy --outputs-file`; in local
 * mode the local web server serves one that points at the local API.
 */

import { FRONTEND_CONFIG_FILE, type FrontendConfig } from '../../contract/frontend-config';
import { CHALLENGE_TYPES, type ChallengeType } from '../../contract/liveness-model';
import { IDENTITY_POOL_ID_PATTERN, REGION_PATTERN } from '../../contract/regions';
import { AUTH_MODES, type AuthMode } from '../../contract/setting-rules';

export type { AuthMode, ChallengeType };

/** The file's shape is the contract's (contract/frontend-config.ts); this module reads and checks it. */
export type LivenessAppConfig = FrontendConfig & {
  /** Always present once checked: the app authenticates one way, through an identity pool (local mode's stand-in too). */
  readonly identityPoolId: string;
};

export const CONFIG_FILE = FRONTEND_CONFIG_FILE;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const AUTH_MODE_LIST: readonly string[] = AUTH_MODES;
const CHALLENGES: readonly string[] = CHALLENGE_TYPES;

export async function loadConfig(
  baseUrl: string = document.baseURI,
  fetchImpl: typeof fetch = fetch,
): Promise<LivenessAppConfig> {
  const url = new URL(CONFIG_FILE, baseUrl);
  let response: Response;
  try {
    response = await fetchImpl(url, { cache: 'no-store' });
  } catch {
    throw new ConfigError(`Could not load ${CONFIG_FILE}. Check your connection and reload the page.`);
  }
  if (!response.ok) {
    throw new ConfigError(
      `This app is not configured yet: ${CONFIG_FILE} was not found (HTTP ${response.status}). ` +
        'Generate it from your deployment (npx face-liveness config cdk-outputs.json) or start the local stack (npm start).',
    );
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ConfigError(`${CONFIG_FILE} is not valid JSON.`);
  }
  return parseConfig(body, url.toString());
}

/** Checks the file's content and resolves relative URLs against the file's own location. */
export function parseConfig(body: unknown, fileUrl: string): LivenessAppConfig {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new ConfigError(`${CONFIG_FILE} must hold a JSON object.`);
  const raw = body as Record<string, unknown>;
  const problems: string[] = [];
  const str = (name: string, required: boolean): string | undefined => {
    const value = raw[name];
    if (value === undefined || value === null || value === '') {
      if (required) problems.push(`"${name}" is required`);
      return undefined;
    }
    if (typeof value !== 'string') {
      problems.push(`"${name}" must be a string`);
      return undefined;
    }
    return value.trim();
  };

  const region = str('region', true);
  if (region !== undefined && !REGION_PATTERN.test(region))
    problems.push(`"region" must be an AWS region such as us-east-1 (got "${region}")`);
  const apiUrl = absoluteUrl(str('apiUrl', true), fileUrl, 'apiUrl', problems);
  const authMode = (str('authMode', false) ?? 'iam') as AuthMode;
  if (!AUTH_MODE_LIST.includes(authMode)) problems.push(`"authMode" must be one of ${AUTH_MODES.join(', ')}`);
  const identityPoolId = str('identityPoolId', false);
  if (identityPoolId !== undefined && !IDENTITY_POOL_ID_PATTERN.test(identityPoolId)) {
    problems.push(`"identityPoolId" must look like us-east-1:0000… (got "${identityPoolId}")`);
  }
  const challenge = str('challenge', false) as ChallengeType | undefined;
  if (challenge !== undefined && !CHALLENGES.includes(challenge))
    problems.push(`"challenge" must be one of ${CHALLENGES.join(', ')}`);
  const local = raw.local === true;
  if (identityPoolId === undefined) {
    // Also what authMode "iam" signs API calls with.
    problems.push('"identityPoolId" is required: the detector needs AWS credentials to stream video');
  }
  const cognitoIdentityEndpoint = absoluteUrl(
    str('cognitoIdentityEndpoint', false),
    fileUrl,
    'cognitoIdentityEndpoint',
    problems,
  );
  if (authMode === 'cognito') {
    problems.push(
      'authMode "cognito" needs a signed-in user: add your sign-in to this example (see the README) or use "iam"',
    );
  }
  let binaryPath = absoluteUrl(str('binaryPath', false), fileUrl, 'binaryPath', problems);
  if (binaryPath !== undefined && !binaryPath.endsWith('/')) binaryPath += '/';
  const faceModelUrl = absoluteUrl(str('faceModelUrl', false), fileUrl, 'faceModelUrl', problems);
  const localStreamingEndpoint = local
    ? absoluteUrl(str('localStreamingEndpoint', false), fileUrl, 'localStreamingEndpoint', problems)
    : undefined;

  if (problems.length > 0) throw new ConfigError(`${CONFIG_FILE} has problems: ${problems.join('; ')}.`);
  return {
    region: region!,
    apiUrl: apiUrl!,
    authMode,
    identityPoolId: identityPoolId!,
    ...(cognitoIdentityEndpoint !== undefined && { cognitoIdentityEndpoint }),
    ...(binaryPath !== undefined && { binaryPath }),
    ...(faceModelUrl !== undefined && { faceModelUrl }),
    ...(challenge !== undefined && { challenge }),
    ...(local && { local }),
    ...(localStreamingEndpoint !== undefined && { localStreamingEndpoint }),
  };
}

/** The detector only takes fully qualified URLs; a config may use paths relative to where it is served. */
function absoluteUrl(value: string | undefined, base: string, name: string, problems: string[]): string | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value, base);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
    return url.toString();
  } catch {
    problems.push(`"${name}" must be a URL (got "${value}")`);
    return undefined;
  }
}
