/** Each function's role holds exactly what its handler calls, nothing more. */
import { allowedActions, allStatements, resources, roleId, roleStatements, statementFor } from './support/iam';
import { synth, TEST_REGION, type Synthesized } from './support/stack';

const CREATE_ROLE = /creates a session/;
const RESULT_ROLE = /returns the result/;

describe('function roles, default settings', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth();
  });

  test('the create-session role allows exactly its Rekognition call, its two session-table actions, writing images, its logs and X-Ray', () => {
    // WHEN
    const statements = roleStatements(s.template, roleId(s.template, CREATE_ROLE));
    // THEN (GetItem comes in two statements, the lockout check and a session's expiresAt: session-table.test.ts pins each)
    expect([...new Set(allowedActions(statements))]).toEqual([
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'rekognition:CreateFaceLivenessSession',
      's3:PutObject',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
  });

  test('the get-result role allows exactly its Rekognition call, get and update on the session table, its logs and X-Ray (no images without exposeDetails; the key policy grants its kms:Sign)', () => {
    const statements = roleStatements(s.template, roleId(s.template, RESULT_ROLE));
    expect([...new Set(allowedActions(statements))]).toEqual([
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'rekognition:GetFaceLivenessSessionResults',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
  });

  test.each([
    ['create-session', CREATE_ROLE, 'rekognition:CreateFaceLivenessSession'],
    ['get-result', RESULT_ROLE, 'rekognition:GetFaceLivenessSessionResults'],
  ])('%s role: the Rekognition action is limited to the stack region', (_name, role, action) => {
    const statement = statementFor(roleStatements(s.template, roleId(s.template, role)), action);
    expect(statement.Resource).toBe('*');
    expect(statement.Condition).toEqual({ StringEquals: { 'aws:RequestedRegion': TEST_REGION } });
  });

  test('the create-session role may write only under the image prefix of the image bucket', () => {
    const statement = statementFor(roleStatements(s.template, roleId(s.template, CREATE_ROLE)), 's3:PutObject');
    expect(resources(statement)).toEqual([s.stack.resolve(s.stack.backend.imageBucket!.arnForObjects('liveness/*'))]);
  });

  test('each function may write only to its own log group', () => {
    const functions = Object.values(s.template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(3);
    for (const fn of functions) {
      const statement = statementFor(
        roleStatements(s.template, fn.Properties.Role['Fn::GetAtt'][0]),
        'logs:PutLogEvents',
      );
      expect(resources(statement)).toEqual([{ 'Fn::GetAtt': [fn.Properties.LoggingConfig.LogGroup.Ref, 'Arn'] }]);
    }
  });

  test('the two functions have different roles', () => {
    const { createSessionFunction, getResultFunction } = s.stack.backend;
    expect(s.stack.resolve(createSessionFunction.role!.roleArn)).not.toEqual(
      s.stack.resolve(getResultFunction.role!.roleArn),
    );
  });

  test('no role in the stack has a managed policy', () => {
    const roles = Object.values(s.template.findResources('AWS::IAM::Role'));
    expect(roles.length).toBeGreaterThan(0);
    for (const role of roles) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  test('no Allow statement in the stack has a wildcard action', () => {
    const allows = allStatements(s.template.toJSON()).filter((st) => st.Effect === 'Allow');
    expect(allows.length).toBeGreaterThan(0);
    for (const action of allowedActions(allows)) expect(action).not.toMatch(/\*/);
  });
});

describe('function roles, other settings', () => {
  test('with exposeDetails, the get-result role may read (to presign) only under the image prefix', () => {
    const s = synth({ exposeDetails: true });
    const statements = roleStatements(s.template, roleId(s.template, RESULT_ROLE));
    expect(allowedActions(statements).filter((a) => a.startsWith('s3:'))).toEqual(['s3:GetObject']);
    expect(resources(statementFor(statements, 's3:GetObject'))).toEqual([
      s.stack.resolve(s.stack.backend.imageBucket!.arnForObjects('liveness/*')),
    ]);
  });

  test('with KMS, both roles may decrypt and encrypt with the one key of the images and the session table, and nothing else', () => {
    // GIVEN
    const s = synth({ imageEncryption: 'kms', exposeDetails: true });
    const keyArn = s.stack.resolve(s.stack.backend.encryptionKey!.keyArn);
    for (const role of [CREATE_ROLE, RESULT_ROLE]) {
      // WHEN
      const statements = roleStatements(s.template, roleId(s.template, role));
      // THEN
      expect(allowedActions(statements).filter((a) => a.startsWith('kms:') && a !== 'kms:Sign')).toEqual([
        'kms:Decrypt',
        'kms:Encrypt',
        'kms:GenerateDataKey',
      ]);
      expect(resources(statementFor(statements, 'kms:Decrypt'))).toEqual([keyArn]);
    }
  });

  test('with KMS but without exposeDetails, the result role has the key (for the table) but no image access', () => {
    const s = synth({ imageEncryption: 'kms' });
    const actions = allowedActions(roleStatements(s.template, roleId(s.template, RESULT_ROLE)));
    expect(actions.filter((a) => a.startsWith('s3:'))).toEqual([]);
    expect(actions.filter((a) => a.startsWith('kms:') && a !== 'kms:Sign')).toEqual([
      'kms:Decrypt',
      'kms:Encrypt',
      'kms:GenerateDataKey',
    ]);
  });

  test('without stored images, neither role has S3 or KMS access (but the attestation signature)', () => {
    const s = synth({ storeImages: false, exposeDetails: true });
    for (const role of [CREATE_ROLE, RESULT_ROLE]) {
      const actions = allowedActions(roleStatements(s.template, roleId(s.template, role)));
      expect(actions.filter((a) => a.startsWith('s3:') || (a.startsWith('kms:') && a !== 'kms:Sign'))).toEqual([]);
    }
  });

  test('with restrictToRegion off, the Rekognition statements have no region condition', () => {
    const s = synth({ restrictToRegion: false });
    const statement = statementFor(
      roleStatements(s.template, roleId(s.template, CREATE_ROLE)),
      'rekognition:CreateFaceLivenessSession',
    );
    expect(statement.Condition).toBeUndefined();
  });

  test('in an environment-agnostic stack, the region condition is the deploy-time region', () => {
    const s = synth({}, { region: null });
    const statement = statementFor(
      roleStatements(s.template, roleId(s.template, RESULT_ROLE)),
      'rekognition:GetFaceLivenessSessionResults',
    );
    expect(statement.Condition).toEqual({ StringEquals: { 'aws:RequestedRegion': { Ref: 'AWS::Region' } } });
  });
});
