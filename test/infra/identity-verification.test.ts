/**
 * Identity verification in the template (the `identity` prop): the face collection, the identity function and its
 * role, each new action of the result and create roles with its exact resources, the backend routes (IAM whatever the
 * browser routes use, never granted to the identity pool), grantIdentityChecks, the settings' checks and warning,
 * cdk-nag, and cfn-lint of a synth with every flow on (reference photo sources, KMS images, enrolment).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { HANDLER_ENV } from '../../contract/handler-environment';
import { IDENTITY_CHECK_FIELD } from '../../contract/identity';
import {
  CHECK_ATTRIBUTES,
  CHECK_BIND_ATTRIBUTES,
  SESSION_CREATE_ATTRIBUTES,
  SESSION_IDENTITY_ATTRIBUTES,
  SUBJECT_ENROLMENT_ATTRIBUTES,
  VERDICT_IDENTITY_ATTRIBUTES,
  VERDICT_UPDATE_ATTRIBUTES,
} from '../../contract/session-table-schema';
import { FaceLivenessBackend, ImageEncryption, LivenessAuthorization, type FaceLivenessBackendProps } from '../../lib';
import { allowedActions, allowsItemRequest, roleId, roleStatements, statementFor, type Statement } from './support/iam';

const ENV = { account: '111122223333', region: 'us-east-1' };

interface Built {
  readonly stack: Stack;
  readonly backend: FaceLivenessBackend;
  readonly template: Template;
  readonly docs: s3.IBucket;
}

function build(props: (docs: s3.IBucket, stack: Stack) => FaceLivenessBackendProps = () => ({ identity: {} })): Built {
  const stack = new Stack(new App(), 'Identity', { env: ENV });
  const docsKey = new kms.Key(stack, 'DocsKey', { enableKeyRotation: true });
  const docs = s3.Bucket.fromBucketAttributes(stack, 'Docs', { bucketName: 'kyc-documents', encryptionKey: docsKey });
  const backend = new FaceLivenessBackend(stack, 'Liveness', props(docs, stack));
  let template: Template | undefined;
  return {
    stack,
    backend,
    docs,
    // Synthesized on first use, so a test can still add grants first.
    get template() {
      template ??= Template.fromStack(stack);
      return template;
    },
  };
}

const everyFlow = (docs: s3.IBucket): FaceLivenessBackendProps => ({
  images: { encryption: ImageEncryption.KMS },
  identity: { referencePhotoSources: [{ bucket: docs, prefix: 'id-cards/' }], similarityThreshold: 99.5 },
});

const logicalId = (b: Built, c: { node: { defaultChild?: unknown } }) =>
  b.stack.getLogicalId(c.node.defaultChild as lambda.CfnFunction);
const statementsOf = (b: Built, description: RegExp): Statement[] =>
  roleStatements(b.template, roleId(b.template, description));
const tableArn = (b: Built) => ({
  'Fn::GetAtt': [b.stack.getLogicalId(b.backend.sessionTable.node.defaultChild as never), 'Arn'],
});

describe('off (the default)', () => {
  it('has no collection, no identity function, no backend route and no identity variable', () => {
    const b = build(() => ({}));
    b.template.resourceCountIs('AWS::Rekognition::Collection', 0);
    expect(b.backend.identityFunction).toBeUndefined();
    expect(JSON.stringify(b.template.toJSON())).not.toMatch(/identity\/checks|IDENTITY_SIMILARITY|CompareFaces|CHECK#/);
    expect(() => b.backend.grantIdentityChecks(new iam.User(b.stack, 'App'))).toThrow(/needs the identity prop/);
  });
});

describe('on', () => {
  let b: Built;
  beforeAll(() => {
    b = build(everyFlow);
  });

  it('creates the face collection, retained like the table', () => {
    b.template.resourceCountIs('AWS::Rekognition::Collection', 1);
    const [id, collection] = Object.entries(b.template.findResources('AWS::Rekognition::Collection'))[0]!;
    expect(collection.DeletionPolicy).toBe('Retain');
    expect(id).toMatch(/^LivenessIdentityVerificationFaceCollection[0-9A-F]{8}$/);
  });

  it('gives the three API functions the identity variables', () => {
    for (const fn of [b.backend.createSessionFunction, b.backend.getResultFunction, b.backend.identityFunction!]) {
      const env = b.template.toJSON().Resources[logicalId(b, fn)].Properties.Environment.Variables;
      expect(env[HANDLER_ENV.IDENTITY_SIMILARITY_THRESHOLD]).toBe('99.5');
      expect(env[HANDLER_ENV.IDENTITY_COLLECTION_ID]).toMatch(/^Identity-Liveness-IdentityVerification-[0-9A-F]{8}$/);
      expect(env[HANDLER_ENV.IDENTITY_REFERENCE_PHOTO_SOURCES]).toBe('kyc-documents/id-cards/');
      expect(env[HANDLER_ENV.IDENTITY_CHECK_TTL_SECONDS]).toBe('600');
    }
  });

  it('the result role: CompareFaces and DetectFaces on *, the collection actions on its ARN only', () => {
    const statements = statementsOf(b, /returns the result/);
    const compare = statementFor(statements, 'rekognition:CompareFaces');
    expect(compare.Action).toEqual(['rekognition:CompareFaces', 'rekognition:DetectFaces']);
    expect(compare.Resource).toBe('*');
    expect(compare.Condition).toEqual({ StringEquals: { 'aws:RequestedRegion': 'us-east-1' } });
    const collection = statementFor(statements, 'rekognition:SearchFacesByImage');
    expect(collection.Action).toEqual([
      'rekognition:DeleteFaces',
      'rekognition:IndexFaces',
      'rekognition:SearchFacesByImage',
    ]);
    expect(collection.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/FaceCollection/), 'Arn'] });
  });

  it('the result role reads the liveness image, the stored photos and the source prefix, deletes only stored photos', () => {
    const statements = statementsOf(b, /returns the result/);
    const read = statementFor(statements, 's3:GetObject');
    const text = JSON.stringify(read.Resource);
    expect(text).toContain('/liveness/*');
    expect(text).toContain('/reference-photos/*');
    expect(text).toContain(':s3:::kyc-documents/id-cards/*');
    expect((read.Resource as unknown[]).length).toBe(3);
    const del = statementFor(statements, 's3:DeleteObject');
    expect(JSON.stringify(del.Resource)).toMatch(/reference-photos\/\*"/);
    expect(JSON.stringify(del.Resource)).not.toMatch(/liveness|kyc/);
    // kms:Decrypt on the image key and the source bucket's key.
    const decrypt = statements.filter((s) => JSON.stringify(s.Action).includes('kms:Decrypt'));
    expect(JSON.stringify(decrypt)).toContain('DocsKey');
  });

  it('the result role: exactly the table requests of the match step', () => {
    const statements = statementsOf(b, /returns the result/);
    const arn = tableArn(b);
    const allows = (r: Parameters<typeof allowsItemRequest>[2]) => allowsItemRequest(statements, arn, r);
    expect(allows({ action: 'dynamodb:GetItem', leadingKey: 'CHECK#c', attributes: [] })).toBe(true);
    expect(allows({ action: 'dynamodb:GetItem', leadingKey: 'SUBJECT#s', attributes: [] })).toBe(true);
    expect(
      allows({
        action: 'dynamodb:UpdateItem',
        leadingKey: 'SESSION#x',
        attributes: [...VERDICT_UPDATE_ATTRIBUTES, ...VERDICT_IDENTITY_ATTRIBUTES],
      }),
    ).toBe(true);
    expect(allows({ action: 'dynamodb:DeleteItem', leadingKey: 'CHECK#c', attributes: [] })).toBe(true);
    expect(
      allows({ action: 'dynamodb:DeleteItem', leadingKey: 'CHECK#c', attributes: [], returnValues: 'ALL_OLD' }),
    ).toBe(false);
    expect(allows({ action: 'dynamodb:DeleteItem', leadingKey: 'SUBJECT#s', attributes: [] })).toBe(false);
    expect(allows({ action: 'dynamodb:DeleteItem', leadingKey: 'SESSION#x', attributes: [] })).toBe(false);
    expect(
      allows({
        action: 'dynamodb:UpdateItem',
        leadingKey: 'SUBJECT#s',
        attributes: [...SUBJECT_ENROLMENT_ATTRIBUTES],
        returnValues: 'UPDATED_OLD',
      }),
    ).toBe(true);
    // It can never open a check or write a check's subject.
    expect(allows({ action: 'dynamodb:PutItem', leadingKey: 'CHECK#c', attributes: [...CHECK_ATTRIBUTES] })).toBe(
      false,
    );
    expect(allows({ action: 'dynamodb:UpdateItem', leadingKey: 'CHECK#c', attributes: ['pk', 'subject'] })).toBe(false);
  });

  it('the create role: binds a check (never reads its photo) and names it on a new session', () => {
    const statements = statementsOf(b, /creates a session/);
    const arn = tableArn(b);
    const allows = (r: Parameters<typeof allowsItemRequest>[2]) => allowsItemRequest(statements, arn, r);
    expect(
      allows({ action: 'dynamodb:UpdateItem', leadingKey: 'CHECK#c', attributes: [...CHECK_BIND_ATTRIBUTES] }),
    ).toBe(true);
    expect(allows({ action: 'dynamodb:UpdateItem', leadingKey: 'CHECK#c', attributes: ['pk', 'subject'] })).toBe(false);
    // Its read of a check is a projection of the binding's attributes (never the photo's location).
    const read = statements.find(
      (st) => st.Action === 'dynamodb:GetItem' && JSON.stringify(st.Condition).includes('CHECK#*'),
    )!;
    expect(read.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CHECK#*'] },
      'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'method', 'subject', 'expiresAt', 'sessionId'] },
      StringEqualsIfExists: { 'dynamodb:Select': ['SPECIFIC_ATTRIBUTES'] },
    });
    expect(
      allows({
        action: 'dynamodb:UpdateItem',
        leadingKey: 'SESSION#x',
        attributes: [...SESSION_CREATE_ATTRIBUTES, ...SESSION_IDENTITY_ATTRIBUTES],
      }),
    ).toBe(true);
    expect(allowedActions(statements).filter((a) => a.startsWith('rekognition:'))).toEqual([
      'rekognition:CreateFaceLivenessSession',
    ]);
  });

  it('the identity role: checks and subjects only, photos under reference-photos/, DeleteFaces on the collection', () => {
    const statements = statementsOf(b, /opens identity checks/);
    expect(allowedActions(statements)).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'kms:Decrypt',
      'kms:Encrypt',
      'kms:Encrypt',
      'kms:GenerateDataKey',
      'kms:GenerateDataKey',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'rekognition:DeleteFaces',
      's3:DeleteObject',
      's3:PutObject',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    expect(JSON.stringify(statementFor(statements, 's3:PutObject').Resource)).toMatch(/\/reference-photos\/\*"\]/);
    expect(statementFor(statements, 'rekognition:DeleteFaces').Resource).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/FaceCollection/), 'Arn'],
    });
    const arn = tableArn(b);
    const allows = (r: Parameters<typeof allowsItemRequest>[2]) => allowsItemRequest(statements, arn, r);
    expect(allows({ action: 'dynamodb:PutItem', leadingKey: 'CHECK#c', attributes: [...CHECK_ATTRIBUTES] })).toBe(true);
    expect(allows({ action: 'dynamodb:PutItem', leadingKey: 'SESSION#x', attributes: ['pk'] })).toBe(false);
    expect(allows({ action: 'dynamodb:GetItem', leadingKey: 'SESSION#x', attributes: [] })).toBe(false);
    expect(allows({ action: 'dynamodb:UpdateItem', leadingKey: 'SESSION#x', attributes: ['pk', 'isLive'] })).toBe(
      false,
    );
    expect(
      allows({ action: 'dynamodb:DeleteItem', leadingKey: 'SUBJECT#s', attributes: [], returnValues: 'ALL_OLD' }),
    ).toBe(true);
    expect(allows({ action: 'dynamodb:DeleteItem', leadingKey: 'OWNER#o', attributes: [] })).toBe(false);
  });

  it('the backend routes are IAM-authorized, the create-session model allows the token', () => {
    const methods = b.template.findResources('AWS::ApiGateway::Method');
    const backend = Object.values(methods).filter((m) =>
      JSON.stringify(m).includes(b.stack.getLogicalId(b.backend.identityFunction!.node.defaultChild as never)),
    );
    expect(backend.map((m) => m.Properties.HttpMethod).sort()).toEqual(['DELETE', 'POST']);
    for (const m of backend) expect(m.Properties.AuthorizationType).toBe('AWS_IAM');
    const models = Object.values(b.template.findResources('AWS::ApiGateway::Model'));
    const create = models.find((m) => m.Properties.Description.startsWith('Body of POST /sessions'))!;
    expect(create.Properties.Schema.properties.identityCheck).toEqual(IDENTITY_CHECK_FIELD.identityCheck);
    const check = models.find((m) => m.Properties.Description.startsWith('Body of POST /identity/checks'))!;
    expect(check.Properties.Schema).toMatchObject({ additionalProperties: false, required: ['subject', 'method'] });
  });

  it('the identity pool roles get no invoke on the backend routes; grantIdentityChecks gives exactly those', () => {
    const all = JSON.stringify(
      Object.values(b.template.findResources('AWS::IAM::Policy')).map((p) => p.Properties.PolicyDocument),
    );
    expect(all).not.toContain('/identity/');
    const inline = JSON.stringify(
      Object.values(b.template.findResources('AWS::IAM::Role'))
        .filter((r) => JSON.stringify(r).includes('cognito-identity.amazonaws.com'))
        .map((r) => r.Properties.Policies),
    );
    expect(inline).toContain('/v1/POST/sessions');
    expect(inline).not.toContain('/identity/');
    let appBackend: iam.Role | undefined;
    const granting = build((docs, stack) => {
      appBackend = new iam.Role(stack, 'AppBackend', { assumedBy: new iam.AccountRootPrincipal() });
      return everyFlow(docs);
    });
    granting.backend.grantIdentityChecks(appBackend!);
    const granted = roleStatements(
      granting.template,
      granting.stack.getLogicalId(appBackend!.node.defaultChild as iam.CfnRole),
    );
    expect(allowedActions(granted)).toEqual(['execute-api:Invoke']);
    const resources = JSON.stringify(granted[0]!.Resource);
    expect(resources).toContain('/v1/POST/identity/checks');
    expect(resources).toContain('/v1/DELETE/identity/subjects/*');
    expect(resources).not.toContain('sessions');
  });
});

describe('with other browser authorization', () => {
  it('backend routes stay IAM with user-pool or no authorization', () => {
    for (const authorization of [LivenessAuthorization.NONE]) {
      const b = build(() => ({ authorization, identity: { enrolment: false } }));
      const methods = Object.values(b.template.findResources('AWS::ApiGateway::Method')).filter((m) =>
        JSON.stringify(m).includes(b.stack.getLogicalId(b.backend.identityFunction!.node.defaultChild as never)),
      );
      expect(methods).toHaveLength(2);
      for (const m of methods) expect(m.Properties.AuthorizationType).toBe('AWS_IAM');
      // No collection: no collection actions anywhere.
      b.template.resourceCountIs('AWS::Rekognition::Collection', 0);
      expect(JSON.stringify(b.template.toJSON())).not.toMatch(/IndexFaces|SearchFacesByImage|DeleteFaces/);
    }
  });
});

describe('props', () => {
  it.each([
    [{ similarityThreshold: 101 }, /identity.similarityThreshold must be a number from 0 to 100/],
    [{ similarityThreshold: -1 }, /identity.similarityThreshold must be a number from 0 to 100/],
    [{ checkTtl: Duration.seconds(30) }, /identity.checkTtl must be whole seconds from 60 to 3600/],
  ])('refuses %j', (identity, message) => {
    expect(() => build(() => ({ identity }))).toThrow(message);
  });

  it('refuses a reference-photo prefix that is empty or starts with /', () => {
    expect(() => build((docs) => ({ identity: { referencePhotoSources: [{ bucket: docs, prefix: '' }] } }))).toThrow(
      /identity.referencePhotoSources\[0\].prefix must be 1–950 characters/,
    );
    expect(() => build((docs) => ({ identity: { referencePhotoSources: [{ bucket: docs, prefix: '/a' }] } }))).toThrow(
      /referencePhotoSources\[0\].prefix/,
    );
  });

  it('needs stored images', () => {
    expect(() => build(() => ({ images: { store: false }, identity: {} }))).toThrow(/identity needs images.store/);
  });

  it('warns below 90, not at 90', () => {
    const low = build(() => ({ identity: { similarityThreshold: 80 } }));
    Annotations.fromStack(low.stack).hasWarning(
      '*',
      Match.stringLikeRegexp('identity.similarityThreshold is 80, below 90'),
    );
    const ok = build(() => ({ identity: { similarityThreshold: 90 } }));
    expect(Annotations.fromStack(ok.stack).findWarning('*', Match.stringLikeRegexp('similarityThreshold'))).toEqual([]);
  });
});

describe('cdk-nag and cfn-lint with every flow on', () => {
  it('no unacknowledged cdk-nag finding', () => {
    const b = build(everyFlow);
    const findings = [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
      pack
        .validateScope(b.stack)
        .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath ?? ''}`)),
    );
    // The test's own KMS key and imported bucket are not the construct's.
    expect(findings.filter((f) => !f.includes('/DocsKey'))).toEqual([]);
  });

  const probe = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  (probe.status === 0 ? it : it.skip)(
    'cfn-lint finds no errors',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'face-liveness-identity-lint-'));
      try {
        const file = join(dir, 'identity.json');
        writeFileSync(file, JSON.stringify(build(everyFlow).template.toJSON()));
        const result = spawnSync('cfn-lint', ['--format', 'json', '--regions', 'us-east-1', '--', file], {
          encoding: 'utf8',
          timeout: 120_000,
        });
        expect(result.status === null || (result.status & 1) === 1 ? result.stderr : '').toBe('');
        const errors = (JSON.parse(result.stdout || '[]') as { Level: string; Rule: { Id: string }; Message: string }[])
          .filter((m) => m.Level === 'Error')
          .map((m) => `${m.Rule.Id}: ${m.Message}`);
        expect(errors).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    130_000,
  );
});
