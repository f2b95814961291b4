/**
 * Writes session images to an S3 endpoint (the local S3) with the real S3 client, as the service writes them to the
 * caller's bucket. A bucket that does not exist or cannot be written is an AccessDeniedException, as on AWS. Reads
 * the images a face operation names as `S3Object` from there too (the local S3 keeps one version: `Version` is not
 * looked at).
 */
import {
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { AwsError } from './service-errors';
import type { ImageSink } from './emulated-sessions';

export interface EmulatorS3Options {
  /** S3 endpoint, e.g. the local S3's url. */
  readonly endpoint: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** @default true (the local S3 has no virtual-host buckets) */
  readonly forcePathStyle?: boolean;
}

function accessDenied(bucket: string, err: unknown): AwsError {
  return deniedFor(bucket, err instanceof S3ServiceException ? err.name : 'unreachable');
}

function deniedFor(bucket: string, reason: string): AwsError {
  return new AwsError(
    'AccessDeniedException',
    `Unable to write to S3 bucket '${bucket}': check that it exists in this account and region and that the caller has s3:PutObject (${reason})`,
  );
}

/**
 * Writes into a local S3 in the same process (local/s3/local-s3.ts `direct`): the objects and the errors of
 * S3ImageSink, without an HTTP round trip and an SDK call per image. The local stack uses it.
 */
export class DirectImageSink implements ImageSink {
  constructor(
    private readonly store: {
      hasBucket(bucket: string): boolean;
      put(bucket: string, key: string, body: Uint8Array, headers: Readonly<Record<string, string>>): void;
      get(bucket: string, key: string): Uint8Array | undefined;
    },
  ) {}

  async read(bucket: string, key: string): Promise<Uint8Array | undefined> {
    return this.store.get(bucket, key);
  }

  async assertWritable(bucket: string): Promise<void> {
    if (!this.store.hasBucket(bucket)) throw deniedFor(bucket, 'NoSuchBucket');
  }

  async put(bucket: string, key: string, body: Uint8Array, kmsKeyId: string | undefined): Promise<void> {
    if (!this.store.hasBucket(bucket)) throw deniedFor(bucket, 'NoSuchBucket');
    this.store.put(bucket, key, body, {
      'content-type': 'image/jpeg',
      ...(kmsKeyId !== undefined && {
        'x-amz-server-side-encryption': 'aws:kms',
        'x-amz-server-side-encryption-aws-kms-key-id': kmsKeyId,
      }),
    });
  }

  destroy(): void {}
}

export class S3ImageSink implements ImageSink {
  readonly client: S3Client;

  constructor(options: EmulatorS3Options) {
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region ?? 'us-east-1',
      credentials: { ...options.credentials },
      forcePathStyle: options.forcePathStyle ?? true,
      // Plain bodies: nothing to frame or hash (local/s3/local-s3.ts).
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 2,
    });
  }

  async assertWritable(bucket: string): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: bucket }));
    } catch (err) {
      throw accessDenied(bucket, err);
    }
  }

  async put(bucket: string, key: string, body: Uint8Array, kmsKeyId: string | undefined): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: 'image/jpeg',
          ...(kmsKeyId !== undefined && { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: kmsKeyId }),
        }),
      );
    } catch (err) {
      if (err instanceof S3ServiceException && err.$fault === 'server') {
        throw new AwsError('InternalServerError', 'Internal server error while storing session images');
      }
      throw accessDenied(bucket, err);
    }
  }

  async read(bucket: string, key: string): Promise<Uint8Array | undefined> {
    try {
      const got = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return got.Body ? await got.Body.transformToByteArray() : new Uint8Array();
    } catch (err) {
      if (err instanceof S3ServiceException && err.$fault === 'server') {
        throw new AwsError('InternalServerError', 'Internal server error while reading the image from S3');
      }
      return undefined;
    }
  }

  destroy(): void {
    this.client.destroy();
  }
}
