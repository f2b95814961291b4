import {
  CreateFaceLivenessSessionCommand,
  GetFaceLivenessSessionResultsCommand,
  InvalidParameterException,
  RekognitionServiceException,
  SessionNotFoundException,
  type CreateFaceLivenessSessionRequest,
  type RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { startRekognitionEmulator, type RekognitionEmulator } from '../../local/emulators/rekognition';
import { startLocalS3, type LocalS3 } from '../../local/s3/local-s3';
import { errorOf, rekognitionClient } from './support';

const LONG_BUCKET = 'b'.repeat(255);

describe('Rekognition emulator: input validation through the real SDK', () => {
  let s3: LocalS3;
  let emulator: RekognitionEmulator;
  let client: RekognitionClient;

  beforeAll(async () => {
    s3 = await startLocalS3({ buckets: ['abc', LONG_BUCKET, 'My.bucket-name_1'] });
    emulator = await startRekognitionEmulator({ s3: { endpoint: s3.url, credentials: s3.credentials } });
    client = rekognitionClient(emulator.url);
  });

  afterAll(async () => {
    client.destroy();
    await emulator.close();
    await s3.close();
  });

  const create = (input: CreateFaceLivenessSessionRequest) => client.send(new CreateFaceLivenessSessionCommand(input));

  describe('CreateFaceLivenessSession accepts the valid edges', () => {
    it.each<[string, CreateFaceLivenessSessionRequest]>([
      ['no input at all', {}],
      ['a 1-character ClientRequestToken', { ClientRequestToken: 'a' }],
      ['a 64-character ClientRequestToken', { ClientRequestToken: 'A'.repeat(64) }],
      ['a token with - and _', { ClientRequestToken: 'abc-DEF_123' }],
      ['a 1-character KmsKeyId', { KmsKeyId: 'k' }],
      ['a KMS key ARN', { KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' }],
      ['a KMS alias', { KmsKeyId: 'alias/liveness+images=1,a@b.c' }],
      ['a 2048-character KmsKeyId', { KmsKeyId: 'k'.repeat(2048) }],
      ['a 3-character bucket', { Settings: { OutputConfig: { S3Bucket: 'abc' } } }],
      ['a 255-character bucket', { Settings: { OutputConfig: { S3Bucket: LONG_BUCKET } } }],
      ['a bucket with . - _ and capitals', { Settings: { OutputConfig: { S3Bucket: 'My.bucket-name_1' } } }],
      ['an empty S3KeyPrefix', { Settings: { OutputConfig: { S3Bucket: 'abc', S3KeyPrefix: '' } } }],
      [
        'a 950-character S3KeyPrefix',
        { Settings: { OutputConfig: { S3Bucket: 'abc', S3KeyPrefix: 'p'.repeat(950) } } },
      ],
      ['AuditImagesLimit 0', { Settings: { AuditImagesLimit: 0 } }],
      ['AuditImagesLimit 4', { Settings: { AuditImagesLimit: 4 } }],
      ['AuditImagesLimit below 0 (clamped)', { Settings: { AuditImagesLimit: -5 } }],
      ['AuditImagesLimit above 4 (clamped)', { Settings: { AuditImagesLimit: 10 } }],
      ['empty ChallengePreferences', { Settings: { ChallengePreferences: [] } }],
      ['FaceMovementChallenge', { Settings: { ChallengePreferences: [{ Type: 'FaceMovementChallenge' }] } }],
      [
        'versions at the 5- and 11-character edges',
        {
          Settings: {
            ChallengePreferences: [
              { Type: 'FaceMovementAndLightChallenge', Versions: { Minimum: '0.0.0', Maximum: '999.999.999' } },
            ],
          },
        },
      ],
      [
        'an unsatisfiable preference followed by a satisfiable one',
        {
          Settings: {
            ChallengePreferences: [
              { Type: 'FaceMovementChallenge', Versions: { Minimum: '2.0.0' } },
              { Type: 'FaceMovementAndLightChallenge' },
            ],
          },
        },
      ],
    ])('%s', async (_, input) => {
      await expect(create(input)).resolves.toHaveProperty('SessionId', expect.stringMatching(/^[0-9a-f-]{36}$/));
    });
  });

  describe('CreateFaceLivenessSession rejects the invalid edges with InvalidParameterException', () => {
    it.each<[string, unknown, RegExp]>([
      [
        'an empty ClientRequestToken',
        { ClientRequestToken: '' },
        /clientRequestToken.*length greater than or equal to 1/,
      ],
      ['a 65-character ClientRequestToken', { ClientRequestToken: 'A'.repeat(65) }, /length less than or equal to 64/],
      ['a token with a space', { ClientRequestToken: 'a b' }, /clientRequestToken.*regular expression pattern/],
      ['a token with a dot', { ClientRequestToken: 'a.b' }, /clientRequestToken.*regular expression pattern/],
      ['an empty KmsKeyId', { KmsKeyId: '' }, /kmsKeyId.*length greater than or equal to 1/],
      ['a 2049-character KmsKeyId', { KmsKeyId: 'k'.repeat(2049) }, /kmsKeyId.*length less than or equal to 2048/],
      ['a KmsKeyId starting with -', { KmsKeyId: '-key' }, /kmsKeyId.*regular expression pattern/],
      ['a KmsKeyId with a space', { KmsKeyId: 'my key' }, /kmsKeyId.*regular expression pattern/],
      [
        'OutputConfig without S3Bucket',
        { Settings: { OutputConfig: {} } },
        /settings\.outputConfig\.s3Bucket.*must not be null/,
      ],
      [
        'a 2-character bucket',
        { Settings: { OutputConfig: { S3Bucket: 'ab' } } },
        /s3Bucket.*greater than or equal to 3/,
      ],
      [
        'a 256-character bucket',
        { Settings: { OutputConfig: { S3Bucket: 'b'.repeat(256) } } },
        /s3Bucket.*less than or equal to 255/,
      ],
      [
        'a bucket with a slash',
        { Settings: { OutputConfig: { S3Bucket: 'my/bucket' } } },
        /s3Bucket.*regular expression/,
      ],
      [
        'a 951-character S3KeyPrefix',
        { Settings: { OutputConfig: { S3Bucket: 'abc', S3KeyPrefix: 'p'.repeat(951) } } },
        /s3KeyPrefix.*less than or equal to 950/,
      ],
      [
        'an S3KeyPrefix with a space',
        { Settings: { OutputConfig: { S3Bucket: 'abc', S3KeyPrefix: 'a b/' } } },
        /s3KeyPrefix.*regular expression/,
      ],
      [
        'an S3KeyPrefix with a tab',
        { Settings: { OutputConfig: { S3Bucket: 'abc', S3KeyPrefix: 'a\tb' } } },
        /s3KeyPrefix/,
      ],
      ['a non-integer AuditImagesLimit', { Settings: { AuditImagesLimit: 1.5 } }, /auditImagesLimit.*integer/],
      [
        'an unknown challenge Type',
        { Settings: { ChallengePreferences: [{ Type: 'SmileChallenge' }] } },
        /challengePreferences\.1\.member\.type.*enum/,
      ],
      [
        'a preference without Type',
        { Settings: { ChallengePreferences: [{}] } },
        /challengePreferences\.1\.member\.type.*must not be null/,
      ],
      [
        'a 4-character version',
        { Settings: { ChallengePreferences: [{ Type: 'FaceMovementChallenge', Versions: { Minimum: '1.00' } }] } },
        /versions\.minimum.*length greater than or equal to 5/,
      ],
      [
        'a 12-character version',
        {
          Settings: {
            ChallengePreferences: [{ Type: 'FaceMovementChallenge', Versions: { Maximum: '1000.999.999' } }],
          },
        },
        /versions\.maximum.*length less than or equal to 11/,
      ],
      [
        'a version with a leading zero',
        { Settings: { ChallengePreferences: [{ Type: 'FaceMovementChallenge', Versions: { Minimum: '01.0.0' } }] } },
        /versions\.minimum.*regular expression/,
      ],
      [
        'a version with four parts in range',
        { Settings: { ChallengePreferences: [{ Type: 'FaceMovementChallenge', Versions: { Maximum: '1.0.0.0' } }] } },
        /versions\.maximum.*regular expression/,
      ],
      [
        'Minimum above Maximum',
        {
          Settings: {
            ChallengePreferences: [{ Type: 'FaceMovementChallenge', Versions: { Minimum: '2.0.0', Maximum: '1.0.0' } }],
          },
        },
        /Minimum must not be greater than Maximum/,
      ],
      [
        'preferences no supported challenge satisfies',
        { Settings: { ChallengePreferences: [{ Type: 'FaceMovementChallenge', Versions: { Minimum: '9.0.0' } }] } },
        /No supported challenge/,
      ],
    ])('%s', async (_, input, message) => {
      // WHEN
      const err = await errorOf(create(input as CreateFaceLivenessSessionRequest));

      // THEN
      expect(err).toBeInstanceOf(InvalidParameterException);
      expect(err.$metadata.httpStatusCode).toBe(400);
      expect(err.message).toMatch(message);
    });

    it('reports every violation of one request in one message', async () => {
      // WHEN
      const err = await errorOf(
        create({ ClientRequestToken: 'a b', KmsKeyId: '-', Settings: { AuditImagesLimit: 0.5 } }),
      );

      // THEN
      expect(err).toBeInstanceOf(InvalidParameterException);
      expect(err.message).toMatch(/^3 validation errors detected: /);
    });
  });

  describe('GetFaceLivenessSessionResults', () => {
    it('accepts a well-formed unknown id and answers SessionNotFoundException', async () => {
      // WHEN
      const err = await errorOf(
        client.send(new GetFaceLivenessSessionResultsCommand({ SessionId: '12345678-90ab-cdef-1234-567890abcdef' })),
      );

      // THEN
      expect(err).toBeInstanceOf(SessionNotFoundException);
      expect(err.$metadata.httpStatusCode).toBe(400);
    });

    it.each<[string, string | undefined, RegExp]>([
      ['a missing SessionId', undefined, /sessionId.*must not be null/],
      ['an empty SessionId', '', /sessionId.*length greater than or equal to 36/],
      ['a 35-character SessionId', '12345678-90ab-cdef-1234-567890abcde', /length greater than or equal to 36/],
      ['a 37-character SessionId', '12345678-90ab-cdef-1234-567890abcdef0', /length less than or equal to 36/],
      ['an uppercase SessionId', '12345678-90AB-CDEF-1234-567890ABCDEF', /regular expression pattern/],
      ['a SessionId with a bad character', 'g2345678-90ab-cdef-1234-567890abcdef', /regular expression pattern/],
    ])('rejects %s with InvalidParameterException', async (_, sessionId, message) => {
      // WHEN
      const err = await errorOf(client.send(new GetFaceLivenessSessionResultsCommand({ SessionId: sessionId })));

      // THEN
      expect(err).toBeInstanceOf(InvalidParameterException);
      expect(err.message).toMatch(message);
    });
  });

  it('can answer ValidationException instead, which the SDK raises as a generic RekognitionServiceException', async () => {
    // GIVEN
    const strict = await startRekognitionEmulator({ validationErrorType: 'ValidationException' });
    const strictClient = rekognitionClient(strict.url);

    // WHEN
    const err = await errorOf(strictClient.send(new CreateFaceLivenessSessionCommand({ ClientRequestToken: '' })));
    strictClient.destroy();
    await strict.close();

    // THEN
    expect(err).toBeInstanceOf(RekognitionServiceException);
    expect(err).not.toBeInstanceOf(InvalidParameterException);
    expect(err.name).toBe('ValidationException');
  });
});
