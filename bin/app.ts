#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { FaceLivenessValidationError } from '../lib/errors';
import { FaceLivenessStack } from './face-liveness-stack';
import { settingsError } from './settings';

const app = new App();

try {
  const stackName: unknown = app.node.tryGetContext('stackName') ?? 'FaceLivenessBackend';
  if (typeof stackName !== 'string' || !/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(stackName)) {
    throw settingsError([
      `stackName must be a CloudFormation stack name (letters, digits, hyphens; got ${JSON.stringify(stackName)})`,
    ]);
  }

  new FaceLivenessStack(app, stackName, {
    description: 'Amazon Rekognition Face Liveness backend',
    // The CDK CLI fills these from AWS_REGION or the profile (region: us-east-1 if nothing is configured). Where they are
    // unset (the app run without the CLI), the stack is environment-agnostic and synthesizes for any account and region.
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
} catch (error) {
  // A setting or region the operator must change: the message says what and how; a stack trace would only bury it.
  // Anything else is a bug and keeps its trace.
  if (error instanceof FaceLivenessValidationError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

// Any finding nobody has acknowledged with a reason fails `cdk synth`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
