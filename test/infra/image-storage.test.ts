/** The image bucket holds biometric data: private, TLS-only, encrypted, owner-enforced, expiring, logged, retained. */
import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { synth, type Synthesized } from './support/stack';

function logicalId(s: Synthesized, construct: IConstruct): string {
  return s.stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

function bucket(s: Synthesized, which: 'imageBucket' | 'accessLogBucket') {
  return s.template.toJSON().Resources[logicalId(s, s.stack.backend[which]!)];
}

function bucketPolicyStatements(s: Synthesized, which: 'imageBucket' | 'accessLogBucket'): any[] {
  const id = logicalId(s, s.stack.backend[which]!);
  const policies = Object.values(s.template.findResources('AWS::S3::BucketPolicy')).filter(
    (p) => p.Properties.Bucket.Ref === id,
  );
  expect(policies).toHaveLength(1);
  return policies[0]!.Properties.PolicyDocument.Statement;
}

describe('image storage, default settings', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth();
  });

  test.each(['imageBucket', 'accessLogBucket'] as const)('%s blocks all public access', (which) => {
    expect(bucket(s, which).Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  test.each(['imageBucket', 'accessLogBucket'] as const)('%s denies every request without TLS', (which) => {
    const id = logicalId(s, s.stack.backend[which]!);
    expect(bucketPolicyStatements(s, which)).toContainEqual({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      Resource: [{ 'Fn::GetAtt': [id, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, '/*']] }],
    });
  });

  test.each(['imageBucket', 'accessLogBucket'] as const)('%s disables ACLs (bucket owner enforced)', (which) => {
    expect(bucket(s, which).Properties.OwnershipControls).toEqual({
      Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
    });
  });

  test('the image bucket is encrypted with SSE-S3 by default', () => {
    expect(bucket(s, 'imageBucket').Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
  });

  test('the image bucket is not versioned, so expired images are really deleted', () => {
    expect(bucket(s, 'imageBucket').Properties.VersioningConfiguration).toBeUndefined();
  });

  test('images expire after the default 30 days, with old versions and unfinished uploads', () => {
    expect(bucket(s, 'imageBucket').Properties.LifecycleConfiguration.Rules).toEqual([
      {
        Id: 'expire-images',
        Status: 'Enabled',
        ExpirationInDays: 30,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      },
    ]);
  });

  test('server access logs of the image bucket go to the separate log bucket', () => {
    expect(bucket(s, 'imageBucket').Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logicalId(s, s.stack.backend.accessLogBucket!) },
      LogFilePrefix: 'image-bucket/',
    });
  });

  test('only S3 log delivery for the image bucket may write to the log bucket', () => {
    const allows = bucketPolicyStatements(s, 'accessLogBucket').filter((st) => st.Effect === 'Allow');
    expect(allows).toEqual([
      expect.objectContaining({
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Condition: {
          ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [logicalId(s, s.stack.backend.imageBucket!), 'Arn'] } },
          StringEquals: { 'aws:SourceAccount': expect.anything() },
        },
      }),
    ]);
  });

  test('the log bucket is encrypted (SSE-S3, the only kind log delivery supports) and expires logs', () => {
    const props = bucket(s, 'accessLogBucket').Properties;
    expect(props.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe(
      'AES256',
    );
    expect(props.LifecycleConfiguration.Rules[0].ExpirationInDays).toBe(30);
  });

  test('buckets are retained on stack deletion by default, with no auto-delete custom resource', () => {
    for (const which of ['imageBucket', 'accessLogBucket'] as const) {
      expect(bucket(s, which)).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
    s.template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });
});

describe('image storage, other settings', () => {
  test('imageRetentionDays sets the expiration', () => {
    const s = synth({ imageRetentionDays: 7 });
    expect(bucket(s, 'imageBucket').Properties.LifecycleConfiguration.Rules[0].ExpirationInDays).toBe(7);
  });

  test('with KMS, the bucket uses the customer-managed key with S3 Bucket Keys', () => {
    const s = synth({ imageEncryption: 'kms' });
    expect(bucket(s, 'imageBucket').Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: s.stack.resolve(s.stack.backend.encryptionKey!.keyArn),
          },
        },
      ],
    });
  });

  test('with KMS, the key rotates and is retained by default', () => {
    const s = synth({ imageEncryption: 'kms' });
    s.template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ EnableKeyRotation: true }),
      DeletionPolicy: 'Retain',
    });
  });

  test('without server access logs there is no log bucket and no logging configuration', () => {
    const s = synth({ serverAccessLogs: false });
    s.template.resourceCountIs('AWS::S3::Bucket', 1);
    expect(bucket(s, 'imageBucket').Properties.LoggingConfiguration).toBeUndefined();
  });

  test("removalPolicy 'destroy' deletes and empties the buckets and the key", () => {
    const s = synth({ removalPolicy: 'destroy', imageEncryption: 'kms' });
    for (const which of ['imageBucket', 'accessLogBucket'] as const)
      expect(bucket(s, which).DeletionPolicy).toBe('Delete');
    s.template.resourceCountIs('Custom::S3AutoDeleteObjects', 2);
    s.template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
  });

  test('without stored images there is no bucket, key or bucket output', () => {
    const s = synth({ storeImages: false });
    s.template.resourceCountIs('AWS::S3::Bucket', 0);
    // The only key is the attestation key (asymmetric, for signing verdicts), not one for images.
    s.template.resourcePropertiesCountIs('AWS::KMS::Key', { KeySpec: 'ECC_NIST_P256' }, 1);
    s.template.resourceCountIs('AWS::KMS::Key', 1);
    expect(s.template.findOutputs('ImageBucketName')).toEqual({});
  });
});
