/**
 * The hand-built GetObject request against the S3 client's own: for every Face Liveness region, bucket style and
 * awkward key, both must produce the very same presigned URL (same signing date, same credentials).
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { RekognitionClient } from '@aws-sdk/client-rekognition';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { FACE_LIVENESS_REGIONS } from '../../contract/regions';
import { createPresigner, type ObjectRef } from '../../lambda/shared/presign';

const SIGNING_DATE = new Date('2026-01-01T12:34:56Z');
const CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjE+/token==',
};
const TTL = 60;

async function both(region: string, object: ObjectRef, s3Endpoint?: string): Promise<[string, string]> {
  const s3 = new S3Client({
    region,
    credentials: CREDENTIALS,
    ...(s3Endpoint !== undefined && { endpoint: s3Endpoint, forcePathStyle: true }),
  });
  const expected = await getSignedUrl(
    s3,
    new GetObjectCommand({ Bucket: object.Bucket, Key: object.Name, VersionId: object.Version }),
    { expiresIn: TTL, signingDate: SIGNING_DATE },
  );
  const { sha256 } = new RekognitionClient({ region }).config;
  const presign = await createPresigner(
    { region, presignedUrlTtlSeconds: TTL, ...(s3Endpoint !== undefined && { s3Endpoint }) },
    { credentials: async () => CREDENTIALS, sha256 },
  );
  return [await presign(object, SIGNING_DATE), expected];
}

describe('createPresigner', () => {
  it.each(FACE_LIVENESS_REGIONS.map((region) => [region]))('signs like the S3 client in %s', async (region) => {
    // Act
    const [actual, expected] = await both(region, {
      Bucket: 'liveness-images-123456789012',
      Name: 'liveness/4f2b6c1e-8a3d-4e5f-9b7a-1c2d3e4f5a6b/reference.jpg',
    });

    // Assess
    expect(actual).toBe(expected);
  });

  it.each([
    ['a bucket with dots (path style)', { Bucket: 'images.example.com', Name: 'a.jpg' }],
    ['a legacy bucket name (path style)', { Bucket: 'Legacy_Bucket', Name: 'a.jpg' }],
    ['a key needing escapes', { Bucket: 'images', Name: "dir with space/ü+!'(*)~=&?#.jpg" }],
    ['a version id', { Bucket: 'images', Name: 'a.jpg', Version: 'Vx.3_aB-c' }],
    ['a key with repeated slashes', { Bucket: 'images', Name: 'a//b/.jpg' }],
  ])('signs like the S3 client for %s', async (_, object) => {
    // Act
    const [actual, expected] = await both('eu-west-1', object);

    // Assess
    expect(actual).toBe(expected);
  });

  it('signs like the S3 client on a local path-style endpoint', async () => {
    // Act
    const [actual, expected] = await both(
      'eu-west-1',
      { Bucket: 'local-images', Name: 'x/y.jpg' },
      'http://127.0.0.1:9000',
    );

    // Assess
    expect(actual).toBe(expected);
    expect(actual.startsWith('http://127.0.0.1:9000/local-images/x/y.jpg?')).toBe(true);
  });
});
