/** The create-session core and its body validation, without middleware. */
import 'aws-sdk-client-mock-jest';
import { CreateFaceLivenessSessionCommand, RekognitionClient } from '@aws-sdk/client-rekognition';
import { mockClient } from 'aws-sdk-client-mock';
import { SESSION_TTL_SECONDS } from '../../contract/liveness-model';
import { SESSION_CREATE_ATTRIBUTES } from '../../contract/session-table-schema';
import {
  createSession,
  ownerToken,
  parseCreateSessionRequest,
  type CreateSessionDeps,
} from '../../lambda/create-session/core';
import { ApiError } from '../../lambda/shared/errors';
import { SESSION_ID } from '../support/api-event';
import { startTestTable, tableItems, TEST_OWNER, type TestTable } from '../support/session-table';

const rekognitionMock = mockClient(RekognitionClient);
const NOW = Date.parse('2026-01-01T12:00:00.000Z');

let table: TestTable;
beforeAll(async () => {
  table = await startTestTable();
});
afterAll(() => table.close());

function deps(
  config: Partial<CreateSessionDeps['config']> = {},
): CreateSessionDeps & { telemetry: { session: jest.Mock; sessionCreated: jest.Mock } } {
  return {
    rekognition: new RekognitionClient({ region: 'eu-west-1' }),
    sessions: table.store,
    config: {
      region: 'eu-west-1',
      imageKeyPrefix: '',
      defaultAuditImagesLimit: 0,
      verdictRetentionDays: 30,
      lockout: { maxFailures: 5 },
      challengePolicy: { allowed: ['FaceMovementAndLightChallenge'] },
      ...config,
    },
    now: () => NOW,
    newToken: () => 'generated-token',
    telemetry: { session: jest.fn(), sessionCreated: jest.fn() },
  };
}

function validationMessage(body: unknown): string {
  try {
    parseCreateSessionRequest(body);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('VALIDATION_ERROR');
    return (error as ApiError).message;
  }
  throw new Error('expected a validation error');
}

beforeEach(() => {
  rekognitionMock.reset();
  rekognitionMock.on(CreateFaceLivenessSessionCommand).resolves({ SessionId: SESSION_ID });
});

describe('parseCreateSessionRequest', () => {
  it.each([
    ['no body', undefined, {}],
    ['an empty object', {}, {}],
    ['a 1-character token', { clientRequestToken: 'a' }, { clientRequestToken: 'a' }],
    ['a 64-character token', { clientRequestToken: 'A'.repeat(64) }, { clientRequestToken: 'A'.repeat(64) }],
    ['a token of every allowed character class', { clientRequestToken: 'aZ09-_' }, { clientRequestToken: 'aZ09-_' }],
    ['auditImagesLimit 0', { auditImagesLimit: 0 }, { auditImagesLimit: 0 }],
    ['auditImagesLimit 4', { auditImagesLimit: 4 }, { auditImagesLimit: 4 }],
    ['each challenge', { challenge: 'FaceMovementChallenge' }, { challenge: 'FaceMovementChallenge' }],
    [
      'the default challenge',
      { challenge: 'FaceMovementAndLightChallenge' },
      { challenge: 'FaceMovementAndLightChallenge' },
    ],
  ])('accepts %s', (_, body, expected) => {
    // Act
    const input = parseCreateSessionRequest(body);

    // Assess
    expect(input).toEqual(expected);
  });

  const TOKEN_RULE = 'clientRequestToken must be 1 to 64 characters of A-Z, a-z, 0-9, - and _';
  const LIMIT_RULE = 'auditImagesLimit must be an integer from 0 to 4';
  it.each([
    ['an empty token', { clientRequestToken: '' }, TOKEN_RULE],
    ['a 65-character token', { clientRequestToken: 'A'.repeat(65) }, TOKEN_RULE],
    ['a token with a space', { clientRequestToken: 'a b' }, TOKEN_RULE],
    ['a token with a dot', { clientRequestToken: 'a.b' }, TOKEN_RULE],
    ['a token with a non-ASCII letter', { clientRequestToken: 'é' }, TOKEN_RULE],
    ['a numeric token', { clientRequestToken: 12 }, TOKEN_RULE],
    ['auditImagesLimit -1', { auditImagesLimit: -1 }, LIMIT_RULE],
    ['auditImagesLimit 5', { auditImagesLimit: 5 }, LIMIT_RULE],
    ['auditImagesLimit 1.5', { auditImagesLimit: 1.5 }, LIMIT_RULE],
    ['auditImagesLimit "2"', { auditImagesLimit: '2' }, LIMIT_RULE],
    ['auditImagesLimit null', { auditImagesLimit: null }, LIMIT_RULE],
    [
      'an unknown challenge',
      { challenge: 'SmileChallenge' },
      'challenge must be one of FaceMovementAndLightChallenge, FaceMovementChallenge',
    ],
    ['a challenge in the wrong case', { challenge: 'facemovementchallenge' }, 'challenge must be one of'],
    ['an unknown field', { bucket: 'mine' }, 'unknown field "bucket"'],
    ['a server-only setting', { kmsKeyId: 'alias/x' }, 'unknown field "kmsKeyId"'],
    ['a __proto__ key', JSON.parse('{"__proto__": {"x": 1}}'), 'unknown field "__proto__"'],
  ])('rejects %s', (_, body, expected) => {
    // Act
    const message = validationMessage(body);

    // Assess
    expect(message).toContain(expected);
  });

  it.each([
    ['null', null],
    ['an array', [{ auditImagesLimit: 1 }]],
    ['a string', 'hello'],
    ['a number', 3],
    ['a boolean', true],
  ])('rejects %s as the body', (_, body) => {
    // Act
    const message = validationMessage(body);

    // Assess
    expect(message).toBe('The request body must be a JSON object.');
  });

  it('names at most five unknown fields and truncates long names', () => {
    // Prepare
    const body = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`${'x'.repeat(100)}${i}`, i]));

    // Act
    const message = validationMessage(body);

    // Assess
    expect(message.match(/unknown field/g)).toHaveLength(5);
    expect(message).not.toContain('x'.repeat(41));
  });
});

describe('createSession', () => {
  it('uses the server defaults and a generated idempotency token', async () => {
    // Prepare
    const d = deps();

    // Act
    const result = await createSession({}, TEST_OWNER, d);

    // Assess
    expect(result).toEqual({
      sessionId: SESSION_ID,
      region: 'eu-west-1',
      expiresAt: new Date(NOW + SESSION_TTL_SECONDS * 1000).toISOString(),
    });
    expect(rekognitionMock).toHaveReceivedCommandTimes(CreateFaceLivenessSessionCommand, 1);
    expect(rekognitionMock.commandCalls(CreateFaceLivenessSessionCommand)[0]!.args[0].input).toEqual({
      ClientRequestToken: ownerToken(TEST_OWNER, 'generated-token'),
      Settings: { AuditImagesLimit: 0, ChallengePreferences: [{ Type: 'FaceMovementAndLightChallenge' }] },
    });
    expect(d.telemetry.session).toHaveBeenCalledWith(SESSION_ID);
    expect(d.telemetry.sessionCreated).toHaveBeenCalledTimes(1);
  });

  it('takes bucket, prefix and KMS key from the configuration, and the rest from the client', async () => {
    // Prepare
    const d = deps({
      imageBucket: 'images-bucket',
      imageKeyPrefix: 'face-liveness/',
      kmsKeyId: 'alias/liveness',
      defaultAuditImagesLimit: 1,
      challengePolicy: { allowed: ['FaceMovementAndLightChallenge', 'FaceMovementChallenge'] },
    });

    // Act
    await createSession(
      { clientRequestToken: 'client-token', auditImagesLimit: 3, challenge: 'FaceMovementChallenge' },
      TEST_OWNER,
      d,
    );

    // Assess
    expect(rekognitionMock.commandCalls(CreateFaceLivenessSessionCommand)[0]!.args[0].input).toEqual({
      ClientRequestToken: ownerToken(TEST_OWNER, 'client-token'),
      KmsKeyId: 'alias/liveness',
      Settings: {
        OutputConfig: { S3Bucket: 'images-bucket', S3KeyPrefix: 'face-liveness/' },
        AuditImagesLimit: 3,
        ChallengePreferences: [{ Type: 'FaceMovementChallenge' }],
      },
    });
  });

  it('uses the configured audit image default, and no key prefix when none is set', async () => {
    // Prepare
    const d = deps({ imageBucket: 'images-bucket', defaultAuditImagesLimit: 2 });

    // Act
    await createSession({}, TEST_OWNER, d);

    // Assess
    expect(rekognitionMock).toHaveReceivedCommandWith(CreateFaceLivenessSessionCommand, {
      Settings: {
        OutputConfig: { S3Bucket: 'images-bucket' },
        AuditImagesLimit: 2,
        ChallengePreferences: [{ Type: 'FaceMovementAndLightChallenge' }],
      },
    });
  });

  it('treats the audit image default as a floor the client cannot lower', async () => {
    // Act
    await createSession({ auditImagesLimit: 0 }, TEST_OWNER, deps({ defaultAuditImagesLimit: 2 }));

    // Assess
    expect(
      rekognitionMock.commandCalls(CreateFaceLivenessSessionCommand)[0]!.args[0].input.Settings?.AuditImagesLimit,
    ).toBe(2);
  });

  describe('the challenge policy', () => {
    const BOTH = ['FaceMovementAndLightChallenge', 'FaceMovementChallenge'] as const;
    const LIGHT_ONLY = ['FaceMovementAndLightChallenge'] as const;
    const MOVEMENT_ONLY = ['FaceMovementChallenge'] as const;
    it.each([
      [LIGHT_ONLY, undefined, undefined, [{ Type: 'FaceMovementAndLightChallenge' }]],
      [LIGHT_ONLY, 'FaceMovementAndLightChallenge', undefined, [{ Type: 'FaceMovementAndLightChallenge' }]],
      [LIGHT_ONLY, 'FaceMovementChallenge', undefined, 'refused'],
      [MOVEMENT_ONLY, 'FaceMovementAndLightChallenge', undefined, 'refused'],
      [MOVEMENT_ONLY, undefined, undefined, [{ Type: 'FaceMovementChallenge' }]],
      [
        BOTH,
        undefined,
        { FaceMovementAndLightChallenge: '2.0.0', FaceMovementChallenge: '1.0.0' },
        [
          { Type: 'FaceMovementAndLightChallenge', Versions: { Minimum: '2.0.0' } },
          { Type: 'FaceMovementChallenge', Versions: { Minimum: '1.0.0' } },
        ],
      ],
      [
        BOTH,
        undefined,
        { FaceMovementAndLightChallenge: '2.0.0' },
        [
          { Type: 'FaceMovementAndLightChallenge', Versions: { Minimum: '2.0.0' } },
          // No minimum for the movement challenge: any version of it.
          { Type: 'FaceMovementChallenge' },
        ],
      ],
      [BOTH, 'FaceMovementChallenge', undefined, [{ Type: 'FaceMovementChallenge' }]],
      [
        BOTH,
        'FaceMovementAndLightChallenge',
        { FaceMovementAndLightChallenge: '2.0.0', FaceMovementChallenge: '1.0.0' },
        [{ Type: 'FaceMovementAndLightChallenge', Versions: { Minimum: '2.0.0' } }],
      ],
      [BOTH, 'FaceMovementChallenge', { FaceMovementAndLightChallenge: '2.0.0' }, [{ Type: 'FaceMovementChallenge' }]],
    ] as const)('allowed %j, requested %s, minimums %j: %j', async (allowed, requested, minVersions, expected) => {
      // Prepare
      const d = deps({ challengePolicy: { allowed, ...(minVersions !== undefined && { minVersions }) } });

      // Act
      const act = createSession(requested === undefined ? {} : { challenge: requested }, TEST_OWNER, d);

      // Assess
      if (expected === 'refused') {
        await expect(act).rejects.toMatchObject({
          code: 'VALIDATION_ERROR',
          statusCode: 400,
          message: expect.stringContaining(`allowed: ${allowed.join(', ')}`),
        });
        expect(rekognitionMock).not.toHaveReceivedCommand(CreateFaceLivenessSessionCommand);
      } else {
        await act;
        expect(
          rekognitionMock.commandCalls(CreateFaceLivenessSessionCommand)[0]!.args[0].input.Settings
            ?.ChallengePreferences,
        ).toEqual(expected);
      }
    });
  });

  it('passes an AWS error through unchanged, for the one error mapping to handle', async () => {
    // Prepare
    const error = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    rekognitionMock.on(CreateFaceLivenessSessionCommand).rejects(error);
    const d = deps();

    // Act
    const act = createSession({}, TEST_OWNER, d);

    // Assess
    await expect(act).rejects.toBe(error);
    expect(d.telemetry.sessionCreated).not.toHaveBeenCalled();
  });

  it('fails when Rekognition returns no session id', async () => {
    // Prepare
    rekognitionMock.on(CreateFaceLivenessSessionCommand).resolves({});

    // Act
    const act = createSession({}, TEST_OWNER, deps());

    // Assess
    await expect(act).rejects.toThrow(/no SessionId/);
  });
});

describe('createSession: ownership and lockout', () => {
  const OTHER_ID = '9e8d7c6b-5a49-4838-a271-605f4e3d2c1b';

  it('records the session with its owner, its times and a TTL of verdictRetentionDays', async () => {
    // Prepare
    rekognitionMock.on(CreateFaceLivenessSessionCommand).resolves({ SessionId: OTHER_ID });

    // Act
    await createSession({}, TEST_OWNER, deps({ verdictRetentionDays: 7 }));

    // Assess
    const { sessions } = await tableItems(table.dynamo);
    expect(sessions.find((s) => s.sessionId === OTHER_ID)).toEqual({
      pk: `SESSION#${OTHER_ID}`,
      sessionId: OTHER_ID,
      owner: TEST_OWNER,
      createdAt: new Date(NOW).toISOString(),
      expiresAt: new Date(NOW + SESSION_TTL_SECONDS * 1000).toISOString(),
      ttl: NOW / 1000 + 7 * 86_400,
    });
  });

  it('writes exactly the attributes the create role is allowed to put (IAM dynamodb:Attributes)', async () => {
    // Prepare
    rekognitionMock
      .on(CreateFaceLivenessSessionCommand)
      .resolves({ SessionId: '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5' });

    // Act
    await createSession({ nonce: 'order-42' }, 'cognito:attribute-check', deps());

    // Assess
    const item = (await tableItems(table.dynamo)).sessions.find((s) => s.owner === 'cognito:attribute-check')!;
    expect(Object.keys(item).sort()).toEqual([...SESSION_CREATE_ATTRIBUTES].sort());
    expect(item.nonce).toBe('order-42');
  });

  it('stores no nonce when the request has none', async () => {
    // Prepare
    rekognitionMock
      .on(CreateFaceLivenessSessionCommand)
      .resolves({ SessionId: '1c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5' });

    // Act
    await createSession({}, 'cognito:no-nonce', deps());

    // Assess
    const item = (await tableItems(table.dynamo)).sessions.find((s) => s.owner === 'cognito:no-nonce')!;
    expect(Object.keys(item).sort()).toEqual(SESSION_CREATE_ATTRIBUTES.filter((a) => a !== 'nonce').sort());
  });

  it("an idempotent repeat of a create answers the session's recorded expiresAt, not one counted from the repeat", async () => {
    // Prepare: Rekognition answers a repeated token with the same session, as it does
    const sessionId = '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d';
    rekognitionMock.on(CreateFaceLivenessSessionCommand).resolves({ SessionId: sessionId });
    const first = await createSession({ clientRequestToken: 'repeated' }, TEST_OWNER, deps());

    // Act: the same request a minute later
    const again = await createSession({ clientRequestToken: 'repeated' }, TEST_OWNER, {
      ...deps(),
      now: () => NOW + 60_000,
    });

    // Assess
    expect(first.expiresAt).toBe(new Date(NOW + SESSION_TTL_SECONDS * 1000).toISOString());
    expect(again).toEqual(first);
  });

  it('binds the idempotency token to the owner: two owners sending one token get different Rekognition tokens', async () => {
    // Act
    await createSession({ clientRequestToken: 'same-token' }, 'cognito:a', deps());
    await createSession({ clientRequestToken: 'same-token' }, 'cognito:b', deps());

    // Assess
    const tokens = rekognitionMock
      .commandCalls(CreateFaceLivenessSessionCommand)
      .map((c) => c.args[0].input.ClientRequestToken);
    expect(tokens).toEqual([ownerToken('cognito:a', 'same-token'), ownerToken('cognito:b', 'same-token')]);
    expect(tokens[0]).not.toBe(tokens[1]);
    expect(tokens[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a locked-out owner with LOCKED_OUT and the remaining seconds, without calling Rekognition', async () => {
    // Prepare: five failures lock the owner for 1800 s from NOW - 60 s
    const owner = 'cognito:locked-owner';
    const policy = {
      maxFailures: 5,
      windowMs: 180_000,
      lockoutMs: 1_800_000,
      backoffFactor: 2,
      maxLockoutMs: 86_400_000,
    };
    for (let i = 0; i < 5; i++)
      await table.store.countFailure(owner, { sessionId: `s-${i}`, failedAt: NOW - 60_000 }, NOW - 60_000, policy);

    // Act
    const error = await createSession({}, owner, deps()).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'LOCKED_OUT', statusCode: 429, retryAfterSeconds: 1740 });
    expect(rekognitionMock).not.toHaveReceivedCommand(CreateFaceLivenessSessionCommand);
  });

  it('does not look at the lockout when it is off', async () => {
    // Prepare
    const owner = 'cognito:locked-but-off';
    const policy = {
      maxFailures: 1,
      windowMs: 180_000,
      lockoutMs: 1_800_000,
      backoffFactor: 2,
      maxLockoutMs: 86_400_000,
    };
    await table.store.countFailure(owner, { sessionId: 's-x', failedAt: NOW }, NOW, policy);

    // Act
    const result = await createSession({}, owner, deps({ lockout: { maxFailures: 0 } }));

    // Assess
    expect(result.sessionId).toBe(SESSION_ID);
  });

  it('does not hand out a session id when its record cannot be written', async () => {
    // Prepare
    const failing = {
      ...deps(),
      sessions: {
        ...table.store,
        recordSession: jest.fn().mockRejectedValue(Object.assign(new Error('x'), { name: 'InternalServerError' })),
      },
    };

    // Act
    const act = createSession({}, TEST_OWNER, failing);

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'InternalServerError' });
    expect(failing.telemetry.sessionCreated).not.toHaveBeenCalled();
  });
});
