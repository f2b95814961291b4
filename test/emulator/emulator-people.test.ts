/**
 * Who is in front of the emulated camera: the control endpoint's `person`, carried by the reference and audit images
 * and recognised by the face operations; and the ID photos idPhoto() makes.
 */
import {
  CompareFacesCommand,
  CreateFaceLivenessSessionCommand,
  GetFaceLivenessSessionResultsCommand,
  type Image,
  InvalidParameterException,
  type RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { decode } from 'jpeg-js';
import { idPhoto, type RekognitionEmulator, startRekognitionEmulator } from '../../local/emulators/rekognition';
import { facesComment, parseFacesComment } from '../../local/emulators/rekognition/people';
import { type LocalS3, startLocalS3 } from '../../local/s3/local-s3';
import { control, errorOf, type ManualClock, manualClock, rekognitionClient } from './support';

describe('Rekognition emulator: synthetic people', () => {
  let s3: LocalS3;
  let clock: ManualClock;
  let emulator: RekognitionEmulator;
  let client: RekognitionClient;

  beforeAll(async () => {
    s3 = await startLocalS3({ buckets: ['liveness-images'] });
    clock = manualClock();
    emulator = await startRekognitionEmulator({
      clock: clock.now,
      s3: { endpoint: s3.url, credentials: s3.credentials },
    });
    client = rekognitionClient(emulator.url);
  });

  afterEach(async () => {
    await control(emulator, 'POST', '/reset');
  });

  afterAll(async () => {
    client.destroy();
    await emulator.close();
    await s3.close();
  });

  /** A finished session's reference and audit images. */
  const runSession = async (options: { output?: boolean; person?: string } = {}) => {
    const { SessionId } = await client.send(
      new CreateFaceLivenessSessionCommand({
        Settings: {
          AuditImagesLimit: 2,
          ...(options.output && { OutputConfig: { S3Bucket: 'liveness-images' } }),
        },
      }),
    );
    if (options.person) {
      const scripted = await control(emulator, 'PUT', `/sessions/${SessionId}/outcome`, { person: options.person });
      expect(scripted.status).toBe(200);
    }
    clock.advance(2000);
    const result = await client.send(new GetFaceLivenessSessionResultsCommand({ SessionId }));
    const asImage = (image: { Bytes?: Uint8Array; S3Object?: Image['S3Object'] }): Image =>
      image.S3Object ? { S3Object: image.S3Object } : { Bytes: image.Bytes as Uint8Array };
    return {
      reference: asImage(result.ReferenceImage ?? {}),
      audit: (result.AuditImages ?? []).map(asImage),
    };
  };

  const similarity = async (source: Image, target: Image): Promise<number | undefined> => {
    const result = await client.send(
      new CompareFacesCommand({ SourceImage: source, TargetImage: target, SimilarityThreshold: 0 }),
    );
    return result.FaceMatches?.[0]?.Similarity;
  };

  it('puts p1 in front of the camera by default', async () => {
    // WHEN
    const { reference } = await runSession();

    // THEN
    expect(await similarity(reference, { Bytes: idPhoto({ faces: ['p1'] }) })).toBe(99.5);
    expect(await similarity(reference, { Bytes: idPhoto({ faces: ['p2'] }) })).toBeLessThan(40);
  });

  it('puts the default person of PUT /_emulator/defaults in the reference and audit images', async () => {
    // GIVEN
    const set = await control(emulator, 'PUT', '/defaults', { outcome: { person: 'p2' } });

    // WHEN
    const { reference, audit } = await runSession();

    // THEN
    expect(set.body.outcome.person).toBe('p2');
    const p2 = { Bytes: idPhoto({ faces: ['p2'] }) };
    expect(await similarity(reference, p2)).toBe(99.5);
    for (const image of audit) expect(await similarity(image, p2)).toBe(99.5);
    expect(await similarity(reference, { Bytes: idPhoto({ faces: ['p1'] }) })).toBeLessThan(40);
  });

  it('takes a session outcome person over the default one', async () => {
    // GIVEN
    await control(emulator, 'PUT', '/defaults', { outcome: { person: 'p2' } });

    // WHEN
    const { reference } = await runSession({ person: 'p3' });

    // THEN
    expect(await similarity(reference, { Bytes: idPhoto({ faces: ['p3'] }) })).toBe(99.5);
  });

  it('writes the person into the images it stores in S3, read back as S3Object', async () => {
    // WHEN
    const { reference } = await runSession({ output: true, person: 'p7' });

    // THEN
    expect(reference.S3Object).toBeDefined();
    expect(await similarity(reference, { Bytes: idPhoto({ faces: ['p7'] }) })).toBe(99.5);
  });

  it('scripts the similarity of the session person with outcome.similarity', async () => {
    // GIVEN
    await control(emulator, 'PUT', '/defaults', { outcome: { person: 'p4', similarity: 97.25 } });

    // WHEN
    const { reference } = await runSession();

    // THEN
    expect(await similarity(reference, { Bytes: idPhoto({ faces: ['p4'] }) })).toBe(97.25);
  });

  it('writes images without a face for person "none"', async () => {
    // WHEN
    const { reference } = await runSession({ person: 'none' });
    const err = await errorOf(
      client.send(
        new CompareFacesCommand({ SourceImage: reference, TargetImage: { Bytes: idPhoto({ faces: ['p1'] }) } }),
      ),
    );

    // THEN
    expect(err).toBeInstanceOf(InvalidParameterException);
    expect(err.message).toBe('There are no faces in the image. Should be at least 1.');
  });

  it('gives each person a face of their own in the pixels, not only in the comment', async () => {
    // GIVEN
    const mean = (jpeg: Buffer): number[] => {
      const { data } = decode(jpeg, { useTArray: true });
      const sums = [0, 0, 0].map((_, c) => {
        let sum = 0;
        for (let i = c; i < data.length; i += 4) sum += data[i] as number;
        return sum;
      });
      return sums.map((s) => Math.round(s / (data.length / 4)));
    };

    // WHEN
    const looks = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9'].map((p) =>
      mean(idPhoto({ faces: [p as 'p1'] })).join(','),
    );

    // THEN
    expect(new Set(looks).size).toBe(9);
  });

  it.each([
    [{ person: 'p10' }, /outcome\.person must be one of p1, .*p9, none/],
    [{ person: 3 }, /outcome\.person/],
    [{ similarity: 100.5 }, /outcome\.similarity must be a number from 0 to 100/],
  ])('refuses the outcome %j', async (outcome, message) => {
    // WHEN
    const res = await control(emulator, 'PUT', '/defaults', { outcome });

    // THEN
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(message);
  });
});

describe('idPhoto', () => {
  it('makes a decodable JPEG of the asked size, naming its people in a comment', () => {
    // WHEN
    const photo = idPhoto({ faces: ['p1', 'p2'], width: 400, height: 300 });

    // THEN
    const image = decode(photo, { useTArray: true });
    expect({ width: image.width, height: image.height }).toEqual({ width: 400, height: 300 });
    expect(photo.toString('latin1')).toMatch(/face-liveness-emulator faces=p1@[\d.:]+,p2@[\d.:]+/);
  });

  it('defaults to a 240 × 320 portrait', () => {
    const image = decode(idPhoto({ faces: [] }), { useTArray: true });
    expect({ width: image.width, height: image.height }).toEqual({ width: 240, height: 320 });
  });

  it('makes a PNG on request', () => {
    const photo = idPhoto({ faces: ['p1'], format: 'png' });
    expect(photo.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(photo.toString('latin1')).toContain('tEXtComment\0face-liveness-emulator faces=p1@');
  });

  it('returns a copy a caller may change without changing the next photo', () => {
    const first = idPhoto({ faces: ['p3'] });
    first.fill(0);
    expect(idPhoto({ faces: ['p3'] })[0]).toBe(0xff);
  });

  it.each([
    [{ faces: ['p0' as 'p1'] }, /person must be one of p1/],
    [{ faces: [{ person: 'p1' as const, similarity: 101 }] }, /similarity/],
    [{ faces: [], width: 0 }, /width must be an integer from 1 to 4096/],
    [{ faces: [], height: 1.5 }, /height must be an integer/],
  ])('refuses %j', (options, message) => {
    expect(() => idPhoto(options)).toThrow(message);
  });
});

describe('the faces comment', () => {
  it('reads back what it writes, a similarity rounded to four decimals', () => {
    const faces = [
      { person: 'p2' as const, similarity: 97.123456 },
      { person: 'p9' as const, similarity: 0.00001 },
    ];
    expect(parseFacesComment(facesComment(faces))).toEqual([
      { person: 'p2', similarity: 97.1235 },
      { person: 'p9', similarity: 0 },
    ]);
  });
});
