import { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, S3Client, NoSuchBucket } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { startLocalS3, type LocalS3 } from '../../local/s3/local-s3';
import { errorOf } from './support';

describe('local S3 (in memory)', () => {
  let s3: LocalS3;
  let client: S3Client;

  beforeAll(async () => {
    s3 = await startLocalS3({ buckets: ['images'] });
    client = new S3Client(s3.clientConfig());
  });

  afterAll(async () => {
    client.destroy();
    await s3.close();
  });

  it('binds a random loopback port', () => {
    // THEN
    expect(s3.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(s3.port).toBeGreaterThan(0);
  });

  it('stores and returns an object with the recommended client settings', async () => {
    // WHEN
    await client.send(
      new PutObjectCommand({ Bucket: 'images', Key: 'a/b.txt', Body: 'hello', ContentType: 'text/plain' }),
    );
    const got = await client.send(new GetObjectCommand({ Bucket: 'images', Key: 'a/b.txt' }));

    // THEN
    expect(await got.Body?.transformToString()).toBe('hello');
    expect(got.ContentType).toBe('text/plain');
  });

  it('keeps streamed uploads intact with requestChecksumCalculation WHEN_REQUIRED', async () => {
    // WHEN
    await client.send(
      new PutObjectCommand({
        Bucket: 'images',
        Key: 'stream.txt',
        Body: Readable.from([Buffer.from('streamed')]),
        ContentLength: 8,
      }),
    );
    const got = await client.send(new GetObjectCommand({ Bucket: 'images', Key: 'stream.txt' }));

    // THEN
    expect(await got.Body?.transformToString()).toBe('streamed');
  });

  it('decodes aws-chunked uploads: with the SDK default (WHEN_SUPPORTED) a streamed upload is stored as sent', async () => {
    // GIVEN
    const defaultClient = new S3Client({
      ...s3.clientConfig(),
      requestChecksumCalculation: 'WHEN_SUPPORTED',
      responseChecksumValidation: 'WHEN_SUPPORTED',
    });

    // WHEN
    await defaultClient.send(
      new PutObjectCommand({
        Bucket: 'images',
        Key: 'chunked.txt',
        Body: Readable.from([Buffer.from('streamed')]),
        ContentLength: 8,
      }),
    );
    const got = await client.send(new GetObjectCommand({ Bucket: 'images', Key: 'chunked.txt' }));
    defaultClient.destroy();

    // THEN
    expect(await got.Body?.transformToString()).toBe('streamed');
  });

  it('serves presigned GET URLs made by @aws-sdk/s3-request-presigner', async () => {
    // GIVEN
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    await client.send(
      new PutObjectCommand({ Bucket: 'images', Key: 'p/img.jpg', Body: bytes, ContentType: 'image/jpeg' }),
    );

    // WHEN
    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: 'images', Key: 'p/img.jpg' }), {
      expiresIn: 60,
    });
    const res = await fetch(url);

    // THEN
    expect(url).toContain('X-Amz-Signature=');
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
  });

  it('answers NoSuchBucket for a bucket it does not have', async () => {
    // WHEN
    const err = await errorOf(client.send(new PutObjectCommand({ Bucket: 'missing', Key: 'k', Body: 'x' })));

    // THEN
    expect(err).toBeInstanceOf(NoSuchBucket);
  });

  it('refuses a non-loopback address', async () => {
    await expect(startLocalS3({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });

  it('refuses unsigned requests and expired presigned URLs', async () => {
    // GIVEN
    await client.send(new PutObjectCommand({ Bucket: 'images', Key: 'x.jpg', Body: 'x' }));
    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: 'images', Key: 'x.jpg' }), { expiresIn: 1 });

    // WHEN / THEN
    expect((await fetch(`${s3.url}/images/x.jpg`)).status).toBe(403);
    await new Promise((r) => setTimeout(r, 2_100));
    const expired = await fetch(url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('answers NoSuchKey for a key it does not have', async () => {
    const err = await errorOf(client.send(new GetObjectCommand({ Bucket: 'images', Key: 'no/such/key.jpg' })));
    expect(err).toMatchObject({ name: 'NoSuchKey' });
  });

  it('releases its port on close', async () => {
    // GIVEN
    const other = await startLocalS3({ buckets: ['b1'] });

    // WHEN
    await other.close();

    // THEN
    await expect(fetch(`${other.url}/b1`)).rejects.toThrow();
    await expect(other.close()).resolves.toBeUndefined();
  });
});
