/** The outputs scripts and the frontend read: stable names, no exports, nothing else. */
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
