/**
 * `face-liveness config <outputs.json>`: a deployment's `cdk deploy --outputs-file` JSON turned into the frontend's
 * configuration, as the web app's file (contract/frontend-config.ts) or as an `amplify_outputs.json` for Amplify's
 * Swift, Android and JavaScript libraries (its schema version 1.4, as @aws-amplify/client-config publishes it).
 */
import type { DeployedFrontendConfig } from '../contract/frontend-config';
import { REGION_PATTERN } from '../contract/regions';
import { AUTH_MODES, type AuthMode } from '../contract/setting-rules';
import { STACK_OUTPUTS } from '../lib/outputs';

/** What the browser needs to call the backend and to stream to Face Liveness (contract/frontend-config.ts). */
export type FrontendConfig = DeployedFrontendConfig;

export class FrontendConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrontendConfigError';
  }
}

/** Picks the stack's outputs from a parsed outputs file and checks every value the frontend needs. */
export function frontendConfigFromOutputs(outputs: unknown, stackName?: string): FrontendConfig {
  if (typeof outputs !== 'object' || outputs === null || Array.isArray(outputs)) {
    throw new FrontendConfigError(
      'The outputs file must be a JSON object of stacks, as written by `cdk deploy --outputs-file`.',
    );
  }
  const stacks = outputs as Record<string, unknown>;
  const names = Object.keys(stacks);
  const name = stackName ?? (names.length === 1 ? names[0] : undefined);
  if (name === undefined) {
    throw new FrontendConfigError(
      names.length === 0
        ? 'The outputs file has no stacks: did `cdk deploy` finish?'
        : `The outputs file has several stacks (${names.join(', ')}): choose one with --stack.`,
    );
  }
  const stack = stacks[name];
  if (typeof stack !== 'object' || stack === null) {
    throw new FrontendConfigError(
      `Stack "${name}" is not in the outputs file (it has: ${names.join(', ') || 'nothing'}).`,
    );
  }
  const values = stack as Record<string, unknown>;
  const output = (key: string): string => {
    const value = values[key];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new FrontendConfigError(
        `Output "${key}" is missing from stack "${name}" in the outputs file: is this a Face Liveness backend stack, deployed with this version?`,
      );
    }
    return value.trim();
  };

  const apiUrl = output(STACK_OUTPUTS.apiUrl).replace(/\/+$/, '');
  if (!/^https:\/\/[^\s/]+\/\S+$/.test(apiUrl)) {
    throw new FrontendConfigError(
      `Output "${STACK_OUTPUTS.apiUrl}" of stack "${name}" is not an https URL of an API stage (got ${JSON.stringify(apiUrl)}).`,
    );
  }
  const region = output(STACK_OUTPUTS.region);
  if (!REGION_PATTERN.test(region)) {
    throw new FrontendConfigError(
      `Output "${STACK_OUTPUTS.region}" of stack "${name}" is not an AWS region (got ${JSON.stringify(region)}).`,
    );
  }
  const identityPoolId = output(STACK_OUTPUTS.identityPoolId);
  if (!identityPoolId.startsWith(`${region}:`)) {
    throw new FrontendConfigError(
      `Output "${STACK_OUTPUTS.identityPoolId}" of stack "${name}" is not an identity pool of ${region} (got ${JSON.stringify(identityPoolId)}).`,
    );
  }
  const authMode = output(STACK_OUTPUTS.authMode);
  if (!(AUTH_MODES as readonly string[]).includes(authMode)) {
    throw new FrontendConfigError(
      `Output "${STACK_OUTPUTS.authMode}" of stack "${name}" must be one of ${AUTH_MODES.join(', ')} (got ${JSON.stringify(authMode)}).`,
    );
  }
  return { region, apiUrl, identityPoolId, authMode: authMode as AuthMode };
}

/** The amplify_outputs.json schema version written: @aws-amplify/client-config's `clientConfigTypesV1_4`. */
export const AMPLIFY_OUTPUTS_VERSION = '1.4';

/** The app's own user pool, for Amplify's `auth` section (its schema requires one beside the identity pool). */
export interface AmplifyUserPool {
  readonly userPoolId: string;
  readonly userPoolClientId: string;
}

/**
 * An amplify_outputs.json: the backend under `custom.faceLiveness` (what an app's liveness screen reads: the API, its
 * region and authorization, and the identity pool to stream with), and with the app's user pool also an `auth`
 * section on this identity pool, so Amplify Auth hands out its credentials (guests included).
 */
export function amplifyOutputsFrom(config: FrontendConfig, userPool?: AmplifyUserPool): Record<string, unknown> {
  return {
    version: AMPLIFY_OUTPUTS_VERSION,
    ...(userPool && {
      auth: {
        aws_region: config.region,
        user_pool_id: userPool.userPoolId,
        user_pool_client_id: userPool.userPoolClientId,
        identity_pool_id: config.identityPoolId,
        unauthenticated_identities_enabled: true,
      },
    }),
    custom: {
      faceLiveness: {
        apiUrl: config.apiUrl,
        region: config.region,
        identityPoolId: config.identityPoolId,
        authorization: config.authMode,
      },
    },
  };
}
