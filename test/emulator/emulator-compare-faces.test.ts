/** CompareFaces, DetectFaces and the image rules every face operation shares, through the real RekognitionClient. */
import {
  CompareFacesCommand,
  DetectFacesCommand,
  type CompareFacesRequest,
  ImageTooLargeException,
  InvalidImageFormatException,
  InvalidParameterException,
  InvalidS3ObjectException,
  type RekognitionClient,
  RekognitionServiceException,
} from '@aws-sdk/client-rekognition';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { encode } from 'jpeg-js';
import {
  DIFFERENT_PEOPLE_BELOW,
  idPhoto,
  PERSON_IDS,
  type RekognitionEmulator,
  SAME_PERSON_SIMILARITY,
  startRekognitionEmulator,
} from '../../local/emulators/rekognition';
import { withJpegComment } from '../../local/emulators/rekognition/image-files';
import { type LocalS3, startLocalS3 } from '../../local/s3/local-s3';
import { errorOf, rekognitionClient } from './support';

const p1 = idPhoto({ faces: ['p1'] });
const p2 = idPhoto({ faces: ['p2'] });

/** A JPEG without the emulator's comment: a photo of someone the emulator cannot name. */
function plainJpeg(width: number, height: number, shade: number): Buffer {
  const data = Buffer.alloc(width * height * 4, shade);
  return encode({ width, height, data }, 80).data;
}

describe('Rekognition emulator: CompareFaces and DetectFaces on synthetic people', () => {
  let s3: LocalS3;
  let s3Client: S3Client;
  let emulator: RekognitionEmulator;
  let client: RekognitionClient;

  beforeAll(async () => {
    s3 = await startLocalS3({ buckets: ['photos'] });
    s3Client = new S3Client(s3.clientConfig());
    emulator = await startRekognitionEmulator({ s3: { endpoint: s3.url, credentials: s3.credentials } });
    client = rekognitionClient(emulator.url);
  });

  afterAll(async () => {
    client.destroy();
    s3Client.destroy();
    await emulator.close();
    await s3.close();
  });

  const compare = (source: Uint8Array, target: Uint8Array, extra: Partial<CompareFacesRequest> = {}) =>
    client.send(new CompareFacesCommand({ SourceImage: { Bytes: source }, TargetImage: { Bytes: target }, ...extra }));

  it('matches the same person at 99.5 and reports the source face', async () => {
    // WHEN
    const result = await compare(p1, idPhoto({ faces: ['p1'], width: 240, height: 320 }), { SimilarityThreshold: 99 });

    // THEN
    expect(result.FaceMatches).toEqual([
      {
        Similarity: SAME_PERSON_SIMILARITY,
        Face: expect.objectContaining({ BoundingBox: expect.any(Object), Confidence: expect.any(Number) }),
      },
    ]);
    expect(result.UnmatchedFaces).toEqual([]);
    expect(result.SourceImageFace).toEqual({ BoundingBox: expect.any(Object), Confidence: expect.any(Number) });
  });

  it('does not match another person: the face is unmatched at the default threshold of 80', async () => {
    // WHEN
    const result = await compare(p1, p2);

    // THEN
    expect(result.FaceMatches).toEqual([]);
    expect(result.UnmatchedFaces).toHaveLength(1);
  });

  it('scores every pair of different people below 40, the same value whichever image comes first', async () => {
    // GIVEN
    const scores: number[] = [];

    // WHEN
    const photos = new Map(PERSON_IDS.map((p) => [p, idPhoto({ faces: [p], width: 100, height: 120 })]));
    for (const a of PERSON_IDS) {
      for (const b of PERSON_IDS) {
        if (a >= b) continue;
        const [pa, pb] = [photos.get(a) as Buffer, photos.get(b) as Buffer];
        const forward = await compare(pa, pb, { SimilarityThreshold: 0 });
        const backward = await compare(pb, pa, { SimilarityThreshold: 0 });
        expect(forward.FaceMatches?.[0]?.Similarity).toBe(backward.FaceMatches?.[0]?.Similarity);
        scores.push(forward.FaceMatches?.[0]?.Similarity as number);
      }
    }

    // THEN
    expect(Math.max(...scores)).toBeLessThan(DIFFERENT_PEOPLE_BELOW);
    expect(Math.min(...scores)).toBeGreaterThanOrEqual(0);
  });

  it('uses a scripted similarity for the same person, so a threshold decides', async () => {
    // GIVEN
    const lookalike = idPhoto({ faces: [{ person: 'p1', similarity: 95 }] });

    // WHEN
    const strict = await compare(p1, lookalike, { SimilarityThreshold: 99 });
    const lenient = await compare(p1, lookalike, { SimilarityThreshold: 90 });

    // THEN
    expect(strict.FaceMatches).toEqual([]);
    expect(strict.UnmatchedFaces).toHaveLength(1);
    expect(lenient.FaceMatches?.map((m) => m.Similarity)).toEqual([95]);
  });

  it('refuses a target without a face as the API reference says, with the same message as for the source', async () => {
    // WHEN
    const err = await errorOf(compare(p1, idPhoto({ faces: [] })));

    // THEN
    expect(err).toBeInstanceOf(InvalidParameterException);
    expect(err.message).toBe('There are no faces in the image. Should be at least 1.');
  });

  it('reports each face of a target with two faces', async () => {
    // WHEN
    const result = await compare(p1, idPhoto({ faces: ['p2', 'p1'], width: 480, height: 320 }), {
      SimilarityThreshold: 99,
    });

    // THEN
    expect(result.FaceMatches).toHaveLength(1);
    expect(result.UnmatchedFaces).toHaveLength(1);
  });

  it('compares the largest face of a source with several', async () => {
    // WHEN
    const result = await compare(idPhoto({ faces: ['p2', 'p1'], width: 480, height: 320 }), p2, {
      SimilarityThreshold: 99,
    });

    // THEN
    expect(result.FaceMatches).toHaveLength(1);
  });

  it('refuses a source without a face with the service message', async () => {
    // WHEN
    const err = await errorOf(compare(idPhoto({ faces: [] }), p1));

    // THEN
    expect(err).toBeInstanceOf(InvalidParameterException);
    expect(err.message).toBe('There are no faces in the image. Should be at least 1.');
  });

  it('accepts PNG as well as JPEG', async () => {
    // WHEN
    const result = await compare(idPhoto({ faces: ['p4'], format: 'png' }), idPhoto({ faces: ['p4'] }), {
      SimilarityThreshold: 99,
    });

    // THEN
    expect(result.FaceMatches).toHaveLength(1);
  });

  it.each([
    ['text', Buffer.from('not an image at all')],
    ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1')],
    ['a truncated JPEG', p1.subarray(0, 40)],
  ])('answers InvalidImageFormatException for %s', async (_, bytes) => {
    // WHEN
    const err = await errorOf(compare(bytes, p1));

    // THEN
    expect(err).toBeInstanceOf(InvalidImageFormatException);
  });

  it('answers InvalidImageFormatException for an emulator comment it cannot read, rather than guessing', async () => {
    // GIVEN
    const typo = withJpegComment(plainJpeg(120, 120, 200), 'face-liveness-emulator faces=q7');

    // WHEN
    const err = await errorOf(compare(typo, p1));

    // THEN
    expect(err).toBeInstanceOf(InvalidImageFormatException);
    expect(err.message).toMatch(/q7/);
  });

  it('refuses an image smaller than 80 pixels in either dimension', async () => {
    // WHEN
    const narrow = await errorOf(compare(idPhoto({ faces: ['p1'], width: 79, height: 200 }), p1));
    const edge = await compare(idPhoto({ faces: ['p1'], width: 80, height: 80 }), p1, { SimilarityThreshold: 99 });

    // THEN
    expect(narrow).toBeInstanceOf(InvalidParameterException);
    expect(narrow.message).toMatch(/79x200/);
    expect(edge.FaceMatches).toHaveLength(1);
  });

  it('does not detect faces smaller than 40 pixels', async () => {
    // GIVEN three faces side by side in 80 × 80: each about 21 pixels wide
    const crowd = idPhoto({ faces: ['p1', 'p2', 'p3'], width: 80, height: 80 });

    // WHEN
    const detected = await client.send(new DetectFacesCommand({ Image: { Bytes: crowd } }));
    const asSource = await errorOf(compare(crowd, p1));

    // THEN
    expect(detected.FaceDetails).toEqual([]);
    expect(asSource).toBeInstanceOf(InvalidParameterException);
  });

  it('treats an image without the emulator comment as one unknown person: itself only', async () => {
    // GIVEN
    const stranger = plainJpeg(200, 200, 120);
    const another = plainJpeg(200, 200, 121);

    // WHEN
    const self = await compare(stranger, stranger, { SimilarityThreshold: 99 });
    const other = await compare(stranger, another, { SimilarityThreshold: 0 });
    const synthetic = await compare(stranger, p1, { SimilarityThreshold: 0 });

    // THEN
    expect(self.FaceMatches?.map((m) => m.Similarity)).toEqual([SAME_PERSON_SIMILARITY]);
    expect(other.FaceMatches?.[0]?.Similarity).toBeLessThan(DIFFERENT_PEOPLE_BELOW);
    expect(synthetic.FaceMatches?.[0]?.Similarity).toBeLessThan(DIFFERENT_PEOPLE_BELOW);
  });

  it('refuses Bytes over 5 MB as a constraint of sourceImage.bytes', async () => {
    // GIVEN a valid JPEG padded past 5 MB (decoders ignore bytes after the end marker)
    const large = Buffer.concat([p1, Buffer.alloc(5 * 1024 * 1024 + 1 - p1.length)]);

    // WHEN
    const err = await errorOf(compare(large, p1));

    // THEN
    expect(err).toBeInstanceOf(InvalidParameterException);
    expect(err.message).toMatch(
      /^1 validation error detected: Value '.*' at 'sourceImage\.bytes' failed to satisfy constraint: Member must have length less than or equal to 5242880$/,
    );
  });

  it('reads an S3Object from the local S3 and compares it', async () => {
    // GIVEN
    await s3Client.send(new PutObjectCommand({ Bucket: 'photos', Key: 'ids/p1.jpg', Body: p1 }));

    // WHEN
    const result = await client.send(
      new CompareFacesCommand({
        SourceImage: { Bytes: idPhoto({ faces: ['p1'] }) },
        TargetImage: { S3Object: { Bucket: 'photos', Name: 'ids/p1.jpg' } },
        SimilarityThreshold: 99,
      }),
    );

    // THEN
    expect(result.FaceMatches).toHaveLength(1);
  });

  it.each([
    ['a missing key', { Bucket: 'photos', Name: 'nope.jpg' }],
    ['a missing bucket', { Bucket: 'no-such-bucket', Name: 'ids/p1.jpg' }],
  ])('answers InvalidS3ObjectException for %s', async (_, s3Object) => {
    // WHEN
    const err = await errorOf(
      client.send(new CompareFacesCommand({ SourceImage: { Bytes: p1 }, TargetImage: { S3Object: s3Object } })),
    );

    // THEN
    expect(err).toBeInstanceOf(InvalidS3ObjectException);
    expect(err.message).toBe(
      'Unable to get object metadata from S3. Check object key, region and/or access permissions.',
    );
  });

  it('answers ImageTooLargeException for an S3 object over 15 MB', async () => {
    // GIVEN
    const huge = Buffer.concat([p1, Buffer.alloc(15 * 1024 * 1024 + 1 - p1.length)]);
    await s3Client.send(new PutObjectCommand({ Bucket: 'photos', Key: 'huge.jpg', Body: huge }));

    // WHEN
    const err = await errorOf(
      client.send(
        new CompareFacesCommand({
          SourceImage: { Bytes: p1 },
          TargetImage: { S3Object: { Bucket: 'photos', Name: 'huge.jpg' } },
        }),
      ),
    );

    // THEN
    expect(err).toBeInstanceOf(ImageTooLargeException);
  });

  it.each<[string, Partial<CompareFacesRequest>, RegExp]>([
    ['a threshold above 100', { SimilarityThreshold: 100.5 }, /'similarityThreshold'.*less than or equal to 100/],
    ['a negative threshold', { SimilarityThreshold: -1 }, /'similarityThreshold'.*greater than or equal to 0/],
    ['an unknown QualityFilter', { QualityFilter: 'BEST' as never }, /'qualityFilter'.*enum value set/],
    [
      'no target image',
      { TargetImage: undefined },
      /'targetImage' failed to satisfy constraint: Member must not be null/,
    ],
    [
      'an S3 bucket name too short',
      { TargetImage: { S3Object: { Bucket: 'ab', Name: 'x' } } },
      /targetImage\.s3Object\.bucket/,
    ],
  ])('refuses %s with InvalidParameterException naming the member', async (_, extra, message) => {
    // WHEN
    const err = await errorOf(compare(p1, p1, extra));

    // THEN
    expect(err).toBeInstanceOf(InvalidParameterException);
    expect(err.message).toMatch(message);
  });

  it('refuses an Image with both Bytes and S3Object', async () => {
    // WHEN
    const err = await errorOf(
      client.send(
        new CompareFacesCommand({
          SourceImage: { Bytes: p1 },
          TargetImage: { Bytes: p1, S3Object: { Bucket: 'photos', Name: 'ids/p1.jpg' } },
        }),
      ),
    );

    // THEN
    expect(err).toBeInstanceOf(InvalidParameterException);
  });

  it('detects the faces of a photo, largest first, and none without an error', async () => {
    // WHEN
    const two = await client.send(
      new DetectFacesCommand({ Image: { Bytes: idPhoto({ faces: ['p1', 'p2'], width: 480, height: 320 }) } }),
    );
    const none = await client.send(new DetectFacesCommand({ Image: { Bytes: idPhoto({ faces: [] }) } }));
    const attributes = await errorOf(
      client.send(new DetectFacesCommand({ Image: { Bytes: p1 }, Attributes: ['HAIR' as never] })),
    );

    // THEN
    const widths = (two.FaceDetails ?? []).map((f) => f.BoundingBox?.Width as number);
    expect(widths).toHaveLength(2);
    expect(widths[0]).toBeGreaterThan(widths[1] as number);
    expect(two.FaceDetails?.[0]).toEqual(
      expect.objectContaining({
        Confidence: expect.any(Number),
        Landmarks: expect.any(Array),
        Pose: expect.any(Object),
      }),
    );
    expect(none.FaceDetails).toEqual([]);
    expect(attributes).toBeInstanceOf(InvalidParameterException);
    expect(attributes.message).toMatch(/'attributes\.1\.member'/);
  });

  it('fails CompareFaces on demand through the fault injector', async () => {
    // GIVEN
    await fetch(`${emulator.controlUrl}/faults/fail-next`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ error: 'ThrottlingException', operation: 'CompareFaces' }),
    });

    // WHEN
    const err = await errorOf(compare(p1, p1));
    const next = await compare(p1, p1);

    // THEN
    expect(err).toBeInstanceOf(RekognitionServiceException);
    expect(err.name).toBe('ThrottlingException');
    expect(next.FaceMatches).toHaveLength(1);
  });
});
