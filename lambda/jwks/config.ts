/**
 * The JWK Set function's configuration (contract/handler-environment.ts jwksEnvironment), read once per cold start.
 * Only what serving a public key needs; like lambda/shared/config.ts, a bad value becomes a 500 BACKEND_MISCONFIGURED
 * with the problems in the log instead of an import error.
 */
import {
  HANDLER_ENV,
  readVariable,
  SETTING_VARIABLES,
  variableProblem,
  type Environment,
} from '../../contract/handler-environment';
import { REGION_PATTERN } from '../../contract/regions';
import { HANDLER_SETTING_DEFAULTS } from '../../contract/setting-rules';

export interface JwksConfig {
  readonly region: string;
  /** The attestation key's ARN (or id): the `kid` of its JWK is derived from it. */
  readonly keyId: string;
  readonly sdkTimeoutMs: number;
  readonly sdkMaxAttempts: number;
  /** Local mode only: the local KMS stand-in's URL. */
  readonly kmsEndpoint?: string;
}

export type JwksConfigState =
  | { readonly ok: true; readonly config: JwksConfig }
  | { readonly ok: false; readonly problems: readonly string[] };

const KMS_KEY_ID = /^[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,2047}$/;
const ENDPOINT = /^https?:\/\/[^\s/]+\/?$/;

export function parseJwksConfig(env: Environment): JwksConfigState {
  const problems: string[] = [];
  const region = readVariable(env, 'AWS_REGION');
  if (region === undefined) problems.push('AWS_REGION is required');
  else if (!REGION_PATTERN.test(region))
    problems.push(variableProblem('AWS_REGION', 'an AWS region such as eu-west-1', region));
  const keyId = readVariable(env, HANDLER_ENV.ATTESTATION_KEY_ID);
  if (keyId === undefined) problems.push(`${HANDLER_ENV.ATTESTATION_KEY_ID} is required`);
  else if (!KMS_KEY_ID.test(keyId))
    problems.push(variableProblem(HANDLER_ENV.ATTESTATION_KEY_ID, 'a KMS key id or ARN', keyId));
  const sdk = (setting: 'sdkTimeoutMs' | 'sdkMaxAttempts'): number => {
    // The same variable and rule as the other functions' (one definition in the contract).
    const variable = SETTING_VARIABLES.find((v) => v.setting === setting)!;
    const raw = readVariable(env, variable.name);
    if (raw === undefined) return HANDLER_SETTING_DEFAULTS[setting];
    const parsed = variable.kind.parse(raw, variable.name);
    if (!parsed.ok) problems.push(...parsed.problems);
    return parsed.ok ? (parsed.value as number) : HANDLER_SETTING_DEFAULTS[setting];
  };
  const sdkTimeoutMs = sdk('sdkTimeoutMs');
  const sdkMaxAttempts = sdk('sdkMaxAttempts');
  const kmsEndpoint = readVariable(env, HANDLER_ENV.KMS_ENDPOINT);
  if (kmsEndpoint !== undefined && !ENDPOINT.test(kmsEndpoint))
    problems.push(variableProblem(HANDLER_ENV.KMS_ENDPOINT, 'an http(s) URL without a path', kmsEndpoint));
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    config: {
      region: region!,
      keyId: keyId!,
      sdkTimeoutMs,
      sdkMaxAttempts,
      ...(kmsEndpoint !== undefined && { kmsEndpoint }),
    },
  };
}

/** Read once per cold start. */
export const JWKS_CONFIG_STATE: JwksConfigState = parseJwksConfig(process.env);
