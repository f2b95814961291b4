/**
 * Whole-template snapshots of the two pinned configurations, with real bundling. Asset hashes are masked by
 * test/support/asset-hash-serializer.js: they change with esbuild and the handler code, not with the template's meaning.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { newTestStack, TEST_USER_POOL_ARN } from './support/stack';

describe('template snapshots', () => {
  test('default settings', () => {
    expect(Template.fromStack(newTestStack({}, { bundle: true })).toJSON()).toMatchSnapshot();
  });

  test('KMS images, Cognito auth, no WAF, destroy on delete', () => {
    const stack = newTestStack(
      {
        imageEncryption: 'kms',
        authMode: 'cognito',
        userPoolArn: TEST_USER_POOL_ARN,
        waf: false,
        removalPolicy: 'destroy',
      },
      { bundle: true },
    );
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
  });
});
