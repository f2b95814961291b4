/**
 * Turns `cdk deploy --outputs-file outputs.json` into the frontend's config file.
 *
 *   npx tsx scripts/frontend-config.ts outputs.json [--out web/public/liveness-config.json] [--stack FaceLivenessBackend]
 *
 * Without --out the config is printed. Without --stack the file's only stack is used.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
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

interface CliArgs {
  readonly outputsFile: string;
  readonly out?: string;
  readonly stack?: string;
}

export function parseArgs(argv: readonly string[]): CliArgs {
  let outputsFile: string | undefined;
  let out: string | undefined;
  let stack: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--out' || arg === '--stack') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new FrontendConfigError(`${arg} needs a value`);
      if (arg === '--out') out = value;
      else stack = value;
    } else if (arg.startsWith('--')) {
      throw new FrontendConfigError(`Unknown option ${arg}`);
    } else if (outputsFile === undefined) {
      outputsFile = arg;
    } else {
      throw new FrontendConfigError(`Unexpected argument ${arg}`);
    }
  }
  if (outputsFile === undefined) {
    throw new FrontendConfigError('Usage: frontend-config <outputs.json> [--out <config.json>] [--stack <StackName>]');
  }
  return { outputsFile, ...(out ? { out } : {}), ...(stack ? { stack } : {}) };
}

function main(argv: readonly string[]): void {
  const args = parseArgs(argv);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(args.outputsFile, 'utf8'));
  } catch (error) {
    throw new FrontendConfigError(`Cannot read ${args.outputsFile} as JSON: ${(error as Error).message}`);
  }
  const json = `${JSON.stringify(frontendConfigFromOutputs(parsed, args.stack), null, 2)}\n`;
  if (args.out) {
    mkdirSync(dirname(args.out), { recursive: true });
    writeFileSync(args.out, json);
    process.stderr.write(`Wrote ${args.out}\n`);
  } else {
    process.stdout.write(json);
  }
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`frontend-config: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
