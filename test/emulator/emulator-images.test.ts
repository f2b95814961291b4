import {
  AccessDeniedException,
  CreateFaceLivenessSessionCommand,
  GetFaceLivenessSessionResultsCommand,
  type CreateFaceLivenessSessionRequest,
  type GetFaceLivenessSessionResultsResponse,
  type RekognitionClient,
} from '@aws-sdk/client-rekognition';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { decode } from 'jpeg-js';
import { startRekognitionEmulator, type RekognitionEmulator } from '../../local/emulators/rekognition';
import { startLocalS3, type LocalS3 } from '../../local/s3/local-s3';
import { errorOf, manualClock, rekognitionClient, type ManualClock } from './support';

function decodeJpeg(bytes: Uint8Array): { width: number; height: number } {
  const image = decode(bytes, { useTArray: true });
  return { width: image.width, height: image.height };
}

describe('Rekognition emulator: reference and audit images', () => {
  let s3: LocalS3;
  let s3Client: S3Client;
  let clock: ManualClock;
  let emulator: RekognitionEmulator;
  let client: RekognitionClient;

  beforeAll(async () => {
    s3 = await startLocalS3({ buckets: ['liveness-images'] });
    s3Client = new S3Client(s3.clientConfig());
    clock = manualClock();
    emulator = await startRekognitionEmulator({
      clock: clock.now,
      s3: { endpoint: s3.url, credentials: s3.credentials },
    });
    client = rekognitionClient(emulator.url);
  });

  afterAll(async () => {
    client.destroy();
    s3Client.destroy();
    await emulator.close();
    await s3.close();
  });

  const runSession = async (
    input: CreateFaceLivenessSessionRequest,
  ): Promise<GetFaceLivenessSessionResultsResponse> => {
    const { SessionId } = await client.send(new CreateFaceLivenessSessionCommand(input));
    clock.advance(2000);
    return client.send(new GetFaceLivenessSessionResultsCommand({ SessionId }));
  };

  const readObject = async (bucket: string, key: string): Promise<{ bytes: Uint8Array; contentType?: string }> => {
    const got = await s3Client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return {
      bytes: await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
      contentType: got.ContentType,
    };
  };

  describe('with OutputConfig', () => {
    it('writes a decodable reference image and the audit images to the local S3 and returns S3Object', async () => {
      // WHEN
      const result = await runSession({
        Settings: { OutputConfig: { S3Bucket: 'liveness-images', S3KeyPrefix: 'checks/' }, AuditImagesLimit: 2 },
      });
      const id = result.SessionId as string;

      // THEN
      expect(result.Status).toBe('SUCCEEDED');
      expect(result.ReferenceImage).toEqual({
        S3Object: { Bucket: 'liveness-images', Name: `checks/${id}/reference.jpg` },
        BoundingBox: {
          Width: expect.any(Number),
          Height: expect.any(Number),
          Left: expect.any(Number),
          Top: expect.any(Number),
        },
      });
      expect(result.ReferenceImage?.Bytes).toBeUndefined();
      expect(result.AuditImages?.map((image) => image.S3Object?.Name)).toEqual([
        `checks/${id}/audit_1.jpg`,
        `checks/${id}/audit_2.jpg`,
      ]);
      for (const image of [result.ReferenceImage, ...(result.AuditImages ?? [])]) {
        const object = await readObject(image?.S3Object?.Bucket as string, image?.S3Object?.Name as string);
        expect(object.contentType).toBe('image/jpeg');
        expect(decodeJpeg(object.bytes)).toEqual({ width: 180, height: 240 });
        expect(image?.BoundingBox?.Width).toBeGreaterThan(0);
      }
    });

    it('writes under the bucket root when there is no prefix, and a presigned GET downloads the image', async () => {
      // GIVEN
      const result = await runSession({ Settings: { OutputConfig: { S3Bucket: 'liveness-images' } } });
      const name = result.ReferenceImage?.S3Object?.Name as string;

      // WHEN
      const url = await getSignedUrl(s3Client, new GetObjectCommand({ Bucket: 'liveness-images', Key: name }), {
        expiresIn: 60,
      });
      const res = await fetch(url);

      // THEN
      expect(name).toBe(`${result.SessionId}/reference.jpg`);
      expect(res.status).toBe(200);
      expect(decodeJpeg(new Uint8Array(await res.arrayBuffer())).width).toBe(180);
    });

    it('asks for SSE-KMS with the KmsKeyId when writing', async () => {
      // WHEN
      const result = await runSession({
        KmsKeyId: 'alias/liveness',
        Settings: { OutputConfig: { S3Bucket: 'liveness-images', S3KeyPrefix: 'kms/' } },
      });

      // THEN: the local S3 accepts the SSE headers; the object is there and readable
      const head = await s3Client.send(
        new HeadObjectCommand({ Bucket: 'liveness-images', Key: result.ReferenceImage?.S3Object?.Name }),
      );
      expect(head.ContentType).toBe('image/jpeg');
    });

    it('keeps concurrent calls with the same ClientRequestToken on one session', async () => {
      // WHEN
      const outs = await Promise.all(
        [1, 2, 3].map(() =>
          client.send(
            new CreateFaceLivenessSessionCommand({
              ClientRequestToken: 'concurrent-token',
              Settings: { OutputConfig: { S3Bucket: 'liveness-images' } },
            }),
          ),
        ),
      );

      // THEN
      expect(new Set(outs.map((out) => out.SessionId)).size).toBe(1);
    });

    it('raises AccessDeniedException at create time when the bucket does not exist', async () => {
      // WHEN
      const err = await errorOf(
        client.send(
          new CreateFaceLivenessSessionCommand({ Settings: { OutputConfig: { S3Bucket: 'no-such-bucket' } } }),
        ),
      );

      // THEN
      expect(err).toBeInstanceOf(AccessDeniedException);
      expect(err.$metadata.httpStatusCode).toBe(400);
      expect(err.message).toMatch(/no-such-bucket/);
    });

    it('raises AccessDeniedException from Get when the bucket vanished before the images were written', async () => {
      // GIVEN
      await s3Client.send(new CreateBucketCommand({ Bucket: 'short-lived' }));
      const { SessionId } = await client.send(
        new CreateFaceLivenessSessionCommand({ Settings: { OutputConfig: { S3Bucket: 'short-lived' } } }),
      );
      await s3Client.send(new DeleteBucketCommand({ Bucket: 'short-lived' }));

      // WHEN
      clock.advance(2000);
      const err = await errorOf(client.send(new GetFaceLivenessSessionResultsCommand({ SessionId })));

      // THEN
      expect(err).toBeInstanceOf(AccessDeniedException);
    });

    it('refuses OutputConfig when the emulator has no S3 endpoint', async () => {
      // GIVEN
      const bare = await startRekognitionEmulator();
      const bareClient = rekognitionClient(bare.url);

      // WHEN
      const err = await errorOf(
        bareClient.send(
          new CreateFaceLivenessSessionCommand({ Settings: { OutputConfig: { S3Bucket: 'liveness-images' } } }),
        ),
      );
      bareClient.destroy();
      await bare.close();

      // THEN
      expect(err).toBeInstanceOf(AccessDeniedException);
    });
  });

  describe('without OutputConfig', () => {
    it('returns the images as Bytes (base64 on the wire, Uint8Array from the SDK) that decode as JPEG', async () => {
      // WHEN
      const result = await runSession({ Settings: { AuditImagesLimit: 3 } });

      // THEN
      const images = [result.ReferenceImage, ...(result.AuditImages ?? [])];
      expect(result.AuditImages).toHaveLength(3);
      for (const image of images) {
        expect(image?.S3Object).toBeUndefined();
        expect(image?.Bytes).toBeInstanceOf(Uint8Array);
        expect(image?.Bytes?.length).toBeLessThanOrEqual(204_800);
        expect(decodeJpeg(image?.Bytes as Uint8Array)).toEqual({ width: 180, height: 240 });
        expect(image?.BoundingBox).toEqual({
          Width: expect.any(Number),
          Height: expect.any(Number),
          Left: expect.any(Number),
          Top: expect.any(Number),
        });
      }
    });
  });

  describe('AuditImagesLimit clamping (as the reference prose says)', () => {
    it.each([
      [-3, 0],
      [0, 0],
      [1, 1],
      [4, 4],
      [9, 4],
    ])('AuditImagesLimit %i returns %i audit images', async (limit, expected) => {
      const result = await runSession({ Settings: { AuditImagesLimit: limit } });
      expect(result.AuditImages).toHaveLength(expected);
    });

    it('returns fewer audit images than the limit when the scripted outcome says so (best effort)', async () => {
      // GIVEN
      const { SessionId } = await client.send(
        new CreateFaceLivenessSessionCommand({ Settings: { AuditImagesLimit: 4 } }),
      );
      emulator.sessions.setOutcome(SessionId as string, { auditImages: 1 });

      // WHEN
      clock.advance(2000);
      const result = await client.send(new GetFaceLivenessSessionResultsCommand({ SessionId }));

      // THEN
      expect(result.AuditImages).toHaveLength(1);
    });
  });
});
