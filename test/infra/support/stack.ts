/**
 * Builds the project's stack for tests the way `cdk synth` does: same feature flags (cdk.json's context), a fixed
 * account and a Face Liveness region unless a test asks otherwise.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FaceLivenessStack } from '../../../bin/face-liveness-stack';
import type { FaceLivenessSettings } from '../../../bin/settings';

export const TEST_ACCOUNT = '123456789012';
export const TEST_REGION = 'us-east-1';
export const TEST_USER_POOL_ARN = `arn:aws:cognito-idp:${TEST_REGION}:${TEST_ACCOUNT}:userpool/${TEST_REGION}_AbCdEf123`;

const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(join(__dirname, '..', '..', '..', 'cdk.json'), 'utf8'),
).context;

export interface TestStackOptions {
  /** `null` for an environment-agnostic stack. @default TEST_REGION */
  readonly region?: string | null;
  /** Extra CDK context, as `-c name=value` would give it. */
  readonly context?: Record<string, unknown>;
  /**
   * Run esbuild for the functions. Off by default: bundling costs 1–3 s per stack and no template property but the
   * asset hash depends on it; the snapshot and `cdk synth` tests bundle for real.
   */
  readonly bundle?: boolean;
}

export function newTestApp(context: Record<string, unknown> = {}, bundle = false): App {
  return new App({
    context: { ...CDK_JSON_CONTEXT, ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }), ...context },
  });
}

export function newTestStack(
  settings: Partial<FaceLivenessSettings> = {},
  options: TestStackOptions = {},
): FaceLivenessStack {
  const app = newTestApp(options.context, options.bundle);
  const region = options.region === undefined ? TEST_REGION : options.region;
  return new FaceLivenessStack(app, 'Test', {
    settings,
    ...(region === null ? {} : { env: { account: TEST_ACCOUNT, region } }),
  });
}

export function templateFor(settings: Partial<FaceLivenessSettings> = {}, options: TestStackOptions = {}): Template {
  return Template.fromStack(newTestStack(settings, options));
}

export interface Synthesized {
  readonly stack: FaceLivenessStack;
  readonly template: Template;
}

export function synth(settings: Partial<FaceLivenessSettings> = {}, options: TestStackOptions = {}): Synthesized {
  const stack = newTestStack(settings, options);
  return { stack, template: Template.fromStack(stack) };
}
