/** AWS's CloudFormation linter finds no error in this app's templates (skips with a printed reason without cfn-lint). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { FaceLivenessSettings } from '../../lib/settings';
import { cfnLintErrors, describeWithCfnLint } from '../support/cfn-lint';
import { newTestStack, TEST_USER_POOL_ARN } from './support/stack';

const CONFIGURATIONS: Array<[string, Partial<FaceLivenessSettings>]> = [
  ['default', {}],
  ['kms-cognito-nowaf-destroy', { imageEncryption: 'kms', authMode: 'cognito', userPoolArn: TEST_USER_POOL_ARN, waf: false, removalPolicy: 'destroy' }],
  ['none-noguests-noimages', { authMode: 'none', allowGuestAccess: false, storeImages: false, allowedOrigins: ['https://a.example.com', 'https://b.example.com'] }],
];

describeWithCfnLint('cfn-lint on the app templates', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'face-liveness-cfn-lint-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('zero errors in every configuration', () => {
    const files = CONFIGURATIONS.map(([name, settings]) => {
      const file = join(dir, `${name}.template.json`);
      writeFileSync(file, JSON.stringify(Template.fromStack(newTestStack(settings)).toJSON()));
      return file;
    });
    expect(cfnLintErrors(files)).toEqual([]);
  });
});
