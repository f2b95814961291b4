import type { ChallengeType } from '../../contract/liveness-model';
import {
  decodeServerFrame,
  encodeClientFrame,
  type DecodedServerFrame,
} from '../../local/emulators/streaming/event-stream';
import {
  StreamingEmulator,
  type ControlPlaneStatus,
  type SessionDirectory,
  type SocketLike,
  type StreamingSessionView,
} from '../../local/emulators/streaming/protocol';

const REGION = 'us-east-1';
const SESSION = '0f959dbb-37cc-45d8-a08d-dc42cce85fa8';
const NOW = Date.parse('2026-11-21T12:00:00Z');
const WEBM = Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81]).toString('base64');

class FakeSocket implements SocketLike {
  readonly sent: DecodedServerFrame[] = [];
  closed?: { code?: number; reason?: string };
  private messageHandler: (bytes: Uint8Array) => void = () => undefined;
  private closeHandler: (code?: number, reason?: string) => void = () => undefined;
  send(bytes: Uint8Array): void {
    this.sent.push(decodeServerFrame(bytes));
  }
  close(code?: number, reason?: string): void {
    this.closed = { code, reason };
  }
  onMessage(handler: (bytes: Uint8Array) => void): void {
    this.messageHandler = handler;
  }
  onClose(handler: (code?: number, reason?: string) => void): void {
    this.closeHandler = handler;
  }
  /** The browser sends a frame. */
  push(eventType: string, payload: unknown): void {
    this.messageHandler(encodeClientFrame(eventType, payload));
  }
  pushRaw(bytes: Uint8Array): void {
    this.messageHandler(bytes);
  }
  /** The browser closes. */
  clientClose(code: number): void {
    this.closeHandler(code, '');
  }
  types(): string[] {
    return this.sent.map((f) => f.type);
  }
}

class FakeDirectory implements SessionDirectory {
  readonly calls: string[] = [];
  readonly sessions = new Map<
    string,
    {
      status: ControlPlaneStatus;
      createdAt: number;
      challengePreferences?: ChallengeType[];
      challengeVersions?: Partial<Record<ChallengeType, string>>;
    }
  >();
  get(sessionId: string): StreamingSessionView | undefined {
    const s = this.sessions.get(sessionId);
    return s && { sessionId, region: REGION, ...s };
  }
  markStreaming(sessionId: string): void {
    this.calls.push(`markStreaming ${sessionId}`);
    this.sessions.get(sessionId)!.status = 'IN_PROGRESS';
  }
  complete(sessionId: string): void {
    this.calls.push(`complete ${sessionId}`);
    this.sessions.get(sessionId)!.status = 'SUCCEEDED';
  }
  fail(sessionId: string): void {
    this.calls.push(`fail ${sessionId}`);
    this.sessions.get(sessionId)!.status = 'FAILED';
  }
}

function streamingUrl(
  overrides: Record<string, string | undefined> = {},
  host = `streaming-rekognition.${REGION}.amazonaws.com`,
): string {
  const params: Record<string, string | undefined> = {
    'session-id': SESSION,
    'video-width': '640',
    'video-height': '480',
    'challenge-versions': 'FaceMovementAndLightChallenge_2.0.0,FaceMovementChallenge_1.0.0',
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `AKIDEXAMPLE/20261121/${REGION}/rekognition/aws4_request`,
    'X-Amz-Date': '20261121T120000Z',
    'X-Amz-Expires': '299',
    'X-Amz-SignedHeaders': 'host',
    'X-Amz-Signature': 'ab'.repeat(32),
    ...overrides,
  };
  const query = Object.entries(params)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
  return `wss://${host}/start-face-liveness-session-websocket?${query}`;
}

function setup(
  options: {
    status?: ControlPlaneStatus;
    createdAt?: number;
    challengePreferences?: ChallengeType[];
    challengeVersions?: Partial<Record<ChallengeType, string>>;
  } = {},
) {
  const directory = new FakeDirectory();
  directory.sessions.set(SESSION, {
    status: options.status ?? 'CREATED',
    createdAt: options.createdAt ?? NOW - 10_000,
    challengePreferences: options.challengePreferences,
    ...(options.challengeVersions !== undefined && { challengeVersions: options.challengeVersions }),
  });
  const emulator = new StreamingEmulator({ sessions: directory, region: REGION, now: () => NOW, initialDelayMs: 0 });
  return { directory, emulator, socket: new FakeSocket() };
}

/** Plays a complete, well-formed client side of a movement challenge. */
function playChallenge(socket: FakeSocket, type: ChallengeType = 'FaceMovementAndLightChallenge'): void {
  const face = { BoundingBox: { Width: 0.2, Height: 0.3, Left: 0.4, Top: 0.3 }, InitialFaceDetectedTimestamp: NOW };
  socket.push('ClientSessionInformationEvent', {
    Challenge: { [type]: { ChallengeId: 'c1', VideoStartTimestamp: NOW, InitialFace: face } },
  });
  socket.push('VideoEvent', { VideoChunk: WEBM, TimestampMillis: NOW + 1000 });
  socket.push('VideoEvent', { VideoChunk: Buffer.from('more').toString('base64'), TimestampMillis: NOW + 2000 });
  socket.push('ClientSessionInformationEvent', {
    Challenge: {
      [type]: { ChallengeId: 'c1', VideoEndTimestamp: NOW + 2500, TargetFace: { BoundingBox: face.BoundingBox } },
    },
  });
  socket.push('VideoEvent', { VideoChunk: '', TimestampMillis: NOW + 2600 });
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('a good session', () => {
  test('sends nothing synchronously, then the session information, and marks the session streaming', () => {
    // GIVEN
    const { directory, emulator, socket } = setup();

    // WHEN
    emulator.accept(socket, streamingUrl());

    // THEN
    expect(socket.sent).toHaveLength(0);
    jest.advanceTimersByTime(1);
    expect(socket.types()).toEqual(['ServerSessionInformationEvent', 'ChallengeEvent']);
    expect(directory.calls).toEqual([`markStreaming ${SESSION}`]);
  });

  test.each([
    ['FaceMovementAndLightChallenge', '2.0.0'],
    ['FaceMovementChallenge', '1.0.0'],
  ] as const)('runs %s at the version the session chose (%s), which the component asks for', (type, version) => {
    const { emulator, socket } = setup({ challengePreferences: [type], challengeVersions: { [type]: version } });
    emulator.accept(socket, streamingUrl());
    jest.advanceTimersByTime(1);
    expect(socket.sent.find((f) => f.type === 'ChallengeEvent')?.payload).toEqual({ Type: type, Version: version });
  });

  test('refuses a component that does not speak the version the session chose', () => {
    const { directory, emulator, socket } = setup({
      challengePreferences: ['FaceMovementAndLightChallenge'],
      challengeVersions: { FaceMovementAndLightChallenge: '1.0.0' },
    });
    const record = emulator.accept(socket, streamingUrl());
    jest.advanceTimersByTime(100);
    expect(socket.sent).toEqual([expect.objectContaining({ messageType: 'exception', type: 'ValidationException' })]);
    expect(record.state).toBe('refused');
    expect(directory.calls).toEqual([]);
  });

  test('answers the empty final VideoChunk with a DisconnectionEvent and completes the session', () => {
    const { directory, emulator, socket } = setup();
    const record = emulator.accept(socket, streamingUrl());
    jest.advanceTimersByTime(1);

    playChallenge(socket);

    expect(socket.types()).toEqual(['ServerSessionInformationEvent', 'ChallengeEvent', 'DisconnectionEvent']);
    expect(socket.sent[2]!.payload).toEqual({ TimestampMillis: NOW });
    expect(directory.calls).toEqual([`markStreaming ${SESSION}`, `complete ${SESSION}`]);
    expect(record).toMatchObject({ state: 'ended', videoChunks: 2, clientSessionInformationEvents: 2 });
    socket.clientClose(1000);
    expect(record.state).toBe('closed');
  });

  test('the light challenge carries a SEQUENTIAL colour sequence and non-zero oval numbers', () => {
    const { emulator, socket } = setup();
    emulator.accept(socket, streamingUrl());
    jest.advanceTimersByTime(1);
    const challenge = (socket.sent[0]!.payload as any).SessionInformation.Challenge.FaceMovementAndLightChallenge;
    expect(challenge.LightChallengeType).toBe('SEQUENTIAL');
    expect(challenge.ColorSequences.length).toBeGreaterThan(1);
    expect(Object.values(challenge.OvalParameters).every((v) => typeof v === 'number' && v > 0)).toBe(true);
    expect(Object.values(challenge.ChallengeConfig).every((v) => typeof v === 'number' && v > 0)).toBe(true);
  });

  test("the session's challenge preference picks the movement-only challenge", () => {
    const { emulator, socket } = setup({ challengePreferences: ['FaceMovementChallenge'] });
    const record = emulator.accept(socket, streamingUrl());
    jest.advanceTimersByTime(1);
    expect(Object.keys((socket.sent[0]!.payload as any).SessionInformation.Challenge)).toEqual([
      'FaceMovementChallenge',
    ]);
    playChallenge(socket, 'FaceMovementChallenge');
    expect(record.state).toBe('ended');
  });
});

describe('refusals', () => {
  test.each([
    [
      'an unknown session',
      'SessionNotFoundException',
      setupArgs({}),
      { 'session-id': '11111111-2222-3333-4444-555555555555' },
    ],
    ['an expired session', 'SessionNotFoundException', setupArgs({ createdAt: NOW - 180_000 }), {}],
    ['a session already used', 'ValidationException', setupArgs({ status: 'IN_PROGRESS' }), {}],
    ['a finished session', 'ValidationException', setupArgs({ status: 'SUCCEEDED' }), {}],
    ['a malformed session id', 'ValidationException', setupArgs({}), { 'session-id': 'nope' }],
    ['a missing signature', 'InvalidSignatureException', setupArgs({}), { 'X-Amz-Signature': undefined }],
    [
      'no common challenge version',
      'ValidationException',
      setupArgs({}),
      { 'challenge-versions': 'FaceMovementChallenge_9.9.9' },
    ],
  ])('%s: %s, then a close, and the session is left alone', (_name, exceptionType, args, overrides) => {
    const { directory, emulator, socket } = setup(args);
    const record = emulator.accept(socket, streamingUrl(overrides));
    jest.advanceTimersByTime(100);
    expect(socket.sent).toEqual([expect.objectContaining({ messageType: 'exception', type: exceptionType })]);
    expect(socket.closed).toEqual({ code: 1000, reason: exceptionType });
    expect(record.state).toBe('refused');
    expect(directory.calls).toEqual([]);
  });

  test('credentials scoped to another region get the wording FaceLivenessDetector recognises', () => {
    const { emulator, socket } = setup();
    emulator.accept(
      socket,
      streamingUrl({ 'X-Amz-Credential': 'AKIDEXAMPLE/20261121/eu-west-1/rekognition/aws4_request' }),
    );
    jest.advanceTimersByTime(1);
    expect(socket.sent[0]).toMatchObject({
      type: 'InvalidSignatureException',
      payload: { Message: expect.stringContaining('valid region') },
    });
  });

  test('with an identity pool, only credentials it issued (and still valid) open a stream', () => {
    // GIVEN an emulator that checks credentials against an identity pool's issued ones
    const issued = new Map([
      ['ASIAGOOD', { sessionToken: 'token-good', expiresAt: NOW + 60_000 }],
      ['ASIAOLD', { sessionToken: 'token-old', expiresAt: NOW - 1 }],
    ]);
    const open = (key: string, token: string | undefined) => {
      const directory = new FakeDirectory();
      directory.sessions.set(SESSION, { status: 'CREATED', createdAt: NOW - 10_000 });
      const emulator = new StreamingEmulator({
        sessions: directory,
        region: REGION,
        now: () => NOW,
        initialDelayMs: 0,
        identityPool: { lookup: (k) => issued.get(k) },
      });
      const socket = new FakeSocket();
      emulator.accept(
        socket,
        streamingUrl({
          'X-Amz-Credential': `${key}/20261121/${REGION}/rekognition/aws4_request`,
          'X-Amz-Security-Token': token,
        }),
      );
      jest.advanceTimersByTime(1);
      return socket.sent[0];
    };
    // THEN unknown keys, another key's token and expired credentials are refused; issued ones stream
    expect(open('AKIDEXAMPLE', 'token-good')).toMatchObject({
      type: 'InvalidSignatureException',
      payload: { Message: expect.stringContaining('security token') },
    });
    expect(open('ASIAGOOD', 'token-old')).toMatchObject({ type: 'InvalidSignatureException' });
    expect(open('ASIAGOOD', undefined)).toMatchObject({ type: 'InvalidSignatureException' });
    expect(open('ASIAOLD', 'token-old')).toMatchObject({
      type: 'InvalidSignatureException',
      payload: { Message: expect.stringContaining('expired') },
    });
    expect(open('ASIAGOOD', 'token-good')).toMatchObject({
      messageType: 'event',
      type: 'ServerSessionInformationEvent',
    });
  });

  test('a presigned URL past its X-Amz-Expires is refused', () => {
    const { emulator, socket } = setup();
    emulator.accept(socket, streamingUrl({ 'X-Amz-Date': '20261121T115000Z', 'X-Amz-Expires': '299' }));
    jest.advanceTimersByTime(1);
    expect(socket.sent[0]).toMatchObject({
      type: 'InvalidSignatureException',
      payload: { Message: 'Signature expired' },
    });
  });

  test("another region's endpoint does not find the session", () => {
    const { emulator, socket } = setup();
    const url = streamingUrl(
      { 'X-Amz-Credential': 'AKIDEXAMPLE/20261121/eu-west-1/rekognition/aws4_request' },
      'streaming-rekognition.eu-west-1.amazonaws.com',
    );
    emulator.accept(socket, url);
    jest.advanceTimersByTime(1);
    expect(socket.sent[0]).toMatchObject({ type: 'SessionNotFoundException' });
  });

  test('a second stream for the same session is refused while the first goes on', () => {
    const { emulator, socket } = setup();
    emulator.accept(socket, streamingUrl());
    jest.advanceTimersByTime(1);
    const second = new FakeSocket();
    emulator.accept(second, streamingUrl());
    jest.advanceTimersByTime(1);
    expect(second.sent[0]).toMatchObject({
      type: 'ValidationException',
      payload: { Message: expect.stringMatching(/already been used/) },
    });
    expect(socket.closed).toBeUndefined();
  });
});

describe('failures while streaming', () => {
  function streaming() {
    const ctx = setup();
    const record = ctx.emulator.accept(ctx.socket, streamingUrl());
    jest.advanceTimersByTime(1);
    return { ...ctx, record };
  }

  test('a malformed frame gets a ValidationException and fails the session', () => {
    const { directory, socket, record } = streaming();
    socket.pushRaw(new Uint8Array([0, 0, 0, 1, 2, 3]));
    jest.advanceTimersByTime(100);
    expect(socket.sent.at(-1)).toMatchObject({ messageType: 'exception', type: 'ValidationException' });
    expect(socket.closed?.code).toBe(1000);
    expect(record.state).toBe('failed');
    expect(directory.calls).toContain(`fail ${SESSION}`);
  });

  test('video that is not WebM is refused', () => {
    const { socket } = streaming();
    socket.push('VideoEvent', { VideoChunk: Buffer.from('hello').toString('base64'), TimestampMillis: NOW });
    expect(socket.sent.at(-1)).toMatchObject({
      type: 'ValidationException',
      payload: { Message: expect.stringMatching(/WebM/) },
    });
  });

  test('the final chunk before any challenge data is refused', () => {
    const { directory, socket } = streaming();
    socket.push('VideoEvent', { VideoChunk: '', TimestampMillis: NOW });
    expect(socket.sent.at(-1)).toMatchObject({ type: 'ValidationException' });
    expect(directory.calls).not.toContain(`complete ${SESSION}`);
  });

  test('session information for the wrong challenge is refused', () => {
    const { socket } = streaming();
    socket.push('ClientSessionInformationEvent', { Challenge: { FaceMovementChallenge: { ChallengeId: 'x' } } });
    expect(socket.sent.at(-1)).toMatchObject({ type: 'ValidationException' });
  });

  test('the client closing early (face-fit timeout) fails the session', () => {
    const { directory, socket, record } = streaming();
    socket.clientClose(4001);
    expect(record).toMatchObject({ state: 'failed', closed: { by: 'client', code: 4001 } });
    expect(directory.calls).toContain(`fail ${SESSION}`);
  });

  test('frames after the end are ignored', () => {
    const { socket, record } = streaming();
    playChallenge(socket);
    const sent = socket.sent.length;
    socket.pushRaw(new Uint8Array([9, 9, 9]));
    expect(socket.sent).toHaveLength(sent);
    expect(record.state).toBe('ended');
  });
});

describe('scripted faults', () => {
  test('"close" drops the connection after N video chunks and fails the session', () => {
    const { directory, emulator, socket } = setup();
    emulator.injectFault({ kind: 'close', afterVideoChunks: 1 });
    const record = emulator.accept(socket, streamingUrl());
    jest.advanceTimersByTime(1);
    expect(socket.closed).toBeUndefined();

    socket.push('VideoEvent', { VideoChunk: WEBM, TimestampMillis: NOW });

    expect(socket.closed).toEqual({ code: 1011, reason: 'Internal error' });
    expect(record.state).toBe('failed');
    expect(directory.calls).toEqual([`markStreaming ${SESSION}`, `fail ${SESSION}`]);
  });

  test('"exception" sends the scripted exception', () => {
    const { emulator, socket } = setup();
    emulator.injectFault({ kind: 'exception', exceptionType: 'ThrottlingException', message: 'Slow down' });
    emulator.accept(socket, streamingUrl());
    jest.advanceTimersByTime(100);
    expect(socket.types()).toEqual(['ServerSessionInformationEvent', 'ChallengeEvent', 'ThrottlingException']);
  });

  test('a fault scripted for the next connection is used once', () => {
    const { emulator, directory, socket } = setup();
    emulator.injectFault({ kind: 'close' });
    emulator.accept(socket, streamingUrl());
    jest.advanceTimersByTime(1);
    expect(socket.closed?.code).toBe(1011);

    directory.sessions.set(SESSION, { status: 'CREATED', createdAt: NOW });
    const next = new FakeSocket();
    emulator.accept(next, streamingUrl());
    jest.advanceTimersByTime(1);
    expect(next.closed).toBeUndefined();
  });

  test('closeAll shuts open connections and fails their sessions', () => {
    const { emulator, directory, socket } = setup();
    emulator.accept(socket, streamingUrl());
    jest.advanceTimersByTime(1);
    emulator.closeAll();
    expect(socket.closed?.code).toBe(1001);
    expect(directory.calls).toContain(`fail ${SESSION}`);
  });
});

function setupArgs(args: { status?: ControlPlaneStatus; createdAt?: number }) {
  return args;
}
