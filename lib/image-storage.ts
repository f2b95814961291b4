/**
 * Where Rekognition writes reference and audit images: biometric data, so private, encrypted, TLS-only, and deleted
 * after a fixed number of days.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from './nag';
import { ImageEncryption } from './props';

export interface ImageStorageProps {
  /** Days after which images are deleted. */
  readonly retentionDays: number;
  /** SSE-S3, or a customer-managed KMS key with yearly rotation. */
  readonly encryption: ImageEncryption;
  /** Write S3 server access logs to a separate bucket. */
  readonly serverAccessLogs: boolean;
  /** Days after which server access logs are deleted. */
  readonly accessLogRetentionDays: number;
  /** RETAIN keeps the buckets (and key) on stack deletion; DESTROY empties and deletes them. */
  readonly removalPolicy: RemovalPolicy;
  /** Encrypt with this existing key (encryption must be ImageEncryption.KMS). @default - a new key when encryption is ImageEncryption.KMS */
  readonly encryptionKey?: kms.IKey;
}

export class ImageStorage extends Construct {
  public readonly bucket: s3.Bucket;
  /** The customer-managed key (created, or brought), when encryption is ImageEncryption.KMS. */
  public readonly key?: kms.IKey;
  /** The server access log bucket, when server access logs are on. */
  public readonly accessLogBucket?: s3.Bucket;

  constructor(scope: Construct, id: string, props: ImageStorageProps) {
    super(scope, id);
    // Grant log delivery with a bucket policy, as AWS recommends, whatever the app's feature flags say: the ACL-based
    // alternative cannot work with BucketOwnerEnforced, which disables ACLs.
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const destroy = props.removalPolicy === RemovalPolicy.DESTROY;

    if (props.serverAccessLogs) {
      this.accessLogBucket = new s3.Bucket(this, 'AccessLogBucket', {
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        minimumTLSVersion: 1.2,
        // S3 log delivery supports SSE-S3 only as the target bucket's default encryption.
        encryption: s3.BucketEncryption.S3_MANAGED,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        lifecycleRules: [
          {
            id: 'expire-access-logs',
            expiration: Duration.days(props.accessLogRetentionDays),
            abortIncompleteMultipartUploadAfter: Duration.days(1),
          },
        ],
        removalPolicy: props.removalPolicy,
        autoDeleteObjects: destroy,
      });
    }

    if (props.encryption === ImageEncryption.KMS && props.encryptionKey) {
      this.key = props.encryptionKey;
    } else if (props.encryption === ImageEncryption.KMS) {
      this.key = new kms.Key(this, 'Key', {
        description: 'Encrypts Face Liveness reference and audit images and the session table',
        enableKeyRotation: true,
        removalPolicy: props.removalPolicy,
      });
    }

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      ...(this.key
        ? { encryption: s3.BucketEncryption.KMS, encryptionKey: this.key, bucketKeyEnabled: true }
        : { encryption: s3.BucketEncryption.S3_MANAGED }),
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Unversioned on purpose: with versioning, expiring an image only hides it behind a delete marker, and biometric
      // data must really be gone after the retention period. Object names are generated per session, never overwritten.
      versioned: false,
      lifecycleRules: [
        {
          id: 'expire-images',
          expiration: Duration.days(props.retentionDays),
          // Only matters if someone turns versioning on later: old versions must not outlive the retention either.
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      ...(this.accessLogBucket
        ? { serverAccessLogsBucket: this.accessLogBucket, serverAccessLogsPrefix: 'image-bucket/' }
        : {}),
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: destroy,
    });
    if (!this.accessLogBucket) {
      acknowledge(
        this.bucket,
        'AwsSolutions-S1',
        'Server access logging was turned off with serverAccessLogs: false; object access is still visible in CloudTrail data events if the account enables them.',
      );
    }
  }
}
