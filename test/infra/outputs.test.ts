/** The outputs scripts and the frontend read: stable names, no exports, nothing else. */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FaceLivenessBackend, type FaceLivenessBackendProps } from '../../lib';
import { STACK_OUTPUTS } from '../../lib/outputs';
import { synth, TEST_REGION } from './support/stack';

describe('stack outputs', () => {
  test('with images stored, the stack has exactly the six named outputs, none exported', () => {
    const s = synth();
    const outputs = s.template.toJSON().Outputs;
    expect(Object.keys(outputs).sort()).toEqual(Object.values(STACK_OUTPUTS).sort());
    for (const output of Object.values(outputs)) expect(output).not.toHaveProperty('Export');
  });

  test('the outputs point at the API stage, the region, the identity pool, the auth mode, the bucket and the session table', () => {
    const s = synth();
    const outputs = s.template.toJSON().Outputs;
    expect(outputs.ApiUrl.Value).toEqual(s.stack.resolve(s.stack.backend.api.url));
    expect(outputs.Region.Value).toBe(TEST_REGION);
    expect(outputs.IdentityPoolId.Value).toEqual(s.stack.resolve(s.stack.backend.identityPool!.identityPoolId));
    expect(outputs.AuthMode.Value).toBe('iam');
    expect(outputs.ImageBucketName.Value).toEqual(s.stack.resolve(s.stack.backend.imageBucket!.bucketName));
    expect(outputs.SessionTableName.Value).toEqual(s.stack.resolve(s.stack.backend.sessionTable.tableName));
  });

  test('an environment-agnostic stack outputs the deploy-time region', () => {
    const s = synth({}, { region: null });
    expect(s.template.toJSON().Outputs.Region.Value).toEqual({ Ref: 'AWS::Region' });
  });
});

describe('frontendOutputs on the construct, in a plain stack', () => {
  const plain = (props: (stack: Stack) => FaceLivenessBackendProps, count = 1) => {
    const stack = new Stack(new App(), 'Plain', { env: { account: '111122223333', region: 'us-east-1' } });
    const backends = Array.from(
      { length: count },
      (_, i) => new FaceLivenessBackend(stack, `Liveness${i}`, props(stack)),
    );
    return { stack, backend: backends[0]!, template: () => Template.fromStack(stack).toJSON() };
  };

  test('off by default: a consumer stack gets no outputs it did not ask for', () => {
    expect(plain(() => ({})).template().Outputs).toBeUndefined();
  });

  test('on: the API URL, region, identity pool id and authorization, under the names face-liveness config reads', () => {
    const s = plain(() => ({ frontendOutputs: true }));
    const outputs = s.template().Outputs;
    expect(Object.keys(outputs).sort()).toEqual(
      [STACK_OUTPUTS.apiUrl, STACK_OUTPUTS.authMode, STACK_OUTPUTS.identityPoolId, STACK_OUTPUTS.region].sort(),
    );
    expect(outputs.ApiUrl.Value).toEqual(s.stack.resolve(s.backend.api.url));
    expect(outputs.Region.Value).toBe('us-east-1');
    expect(outputs.IdentityPoolId.Value).toEqual(s.stack.resolve(s.backend.identityPool!.identityPoolId));
    expect(outputs.AuthMode.Value).toBe('iam');
    for (const output of Object.values(outputs)) expect(output).not.toHaveProperty('Export');
  });

  test('with brought roles there is no identity pool of ours, so no IdentityPoolId', () => {
    const s = plain((stack) => ({
      frontendOutputs: true,
      existingBrowserRoles: [iam.Role.fromRoleArn(stack, 'Guest', 'arn:aws:iam::111122223333:role/app-guest')],
    }));
    expect(Object.keys(s.template().Outputs).sort()).toEqual(['ApiUrl', 'AuthMode', 'Region']);
  });

  test('two constructs with frontendOutputs in one stack fail at synth instead of sharing the names', () => {
    expect(() => plain(() => ({ frontendOutputs: true }), 2).template()).toThrow(/ApiUrl/);
  });
});
