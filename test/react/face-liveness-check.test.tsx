/**
 * @jest-environment jsdom
 *
 * <FaceLivenessCheck> with Amplify's detector replaced by a stand-in that records its props and mounts: the flow
 * around it (a session per attempt, the verdict, retries, errors in words, a lockout's wait, languages) is real.
 */
import { act, fireEvent, render, screen } from '@testing-library/react';
import type { CreateSessionRequest, CreateSessionResponse, FinishedResult, LivenessClient } from '../../client';
import { LivenessApiError, LivenessTimeoutError } from '../../client/errors';
import { FaceLivenessCheck } from '../../react';

interface MockDetectorProps {
  readonly sessionId: string;
  readonly region: string;
  readonly onAnalysisComplete: () => Promise<void>;
  readonly onError: (e: { state: string; error: Error }) => void;
  readonly onUserCancel: () => void;
  readonly config?: {
    credentialProvider?: () => Promise<unknown>;
    binaryPath?: string;
    faceModelUrl?: string;
  };
  readonly displayText?: Record<string, string>;
  readonly disableStartScreen?: boolean;
}

/** Every render of a detector, which one (Core or the Amplify Auth one), and every mount. */
const mockDetector = {
  renders: [] as { kind: 'core' | 'amplify'; props: MockDetectorProps }[],
  mounts: [] as string[],
};

jest.mock('@aws-amplify/ui-react-liveness', () => {
  const React = jest.requireActual<typeof import('react')>('react');
  const make = (kind: 'core' | 'amplify') =>
    function Detector(props: MockDetectorProps) {
      mockDetector.renders.push({ kind, props });
      React.useEffect(() => {
        mockDetector.mounts.push(props.sessionId);
      }, []);
      return React.createElement('div', { 'data-testid': 'detector', 'data-session': props.sessionId });
    };
  return { FaceLivenessDetectorCore: make('core'), FaceLivenessDetector: make('amplify') };
});

function session(n: number): CreateSessionResponse {
  return { sessionId: `session-${n}`, region: 'eu-west-1', expiresAt: new Date(Date.now() + 180_000).toISOString() };
}

function finished(sessionId: string, over: Partial<FinishedResult> = {}): FinishedResult {
  return {
    sessionId,
    status: 'SUCCEEDED',
    done: true,
    isLive: true,
    feedback: [],
    attestation: 'jws.for.backend',
    ...over,
  };
}

/** A client whose answers the test decides, recording every call. */
function fakeClient() {
  let created = 0;
  const results = new Map<string, FinishedResult | Error>();
  const calls = { create: [] as CreateSessionRequest[], wait: [] as { sessionId: string; timeoutMs?: number }[] };
  let createError: Error | undefined;
  const client: Pick<LivenessClient, 'createSession' | 'waitForResult'> = {
    createSession: async (request = {}) => {
      calls.create.push(request);
      if (createError) throw createError;
      created += 1;
      return session(created);
    },
    waitForResult: async (sessionId, options) => {
      calls.wait.push({ sessionId, ...(options?.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }) });
      const r = results.get(sessionId) ?? finished(sessionId);
      if (r instanceof Error) throw r;
      return r;
    },
  };
  return {
    client,
    calls,
    willReturn: (sessionId: string, r: FinishedResult | Error) => results.set(sessionId, r),
    failCreate: (e: Error | undefined) => {
      createError = e;
    },
  };
}

const lastDetector = () => mockDetector.renders.at(-1)!;

async function flush() {
  await act(async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  });
}

beforeEach(() => {
  mockDetector.renders.length = 0;
  mockDetector.mounts.length = 0;
});

test('each attempt has its own session and its own detector; "Try again" creates a new session', async () => {
  const fake = fakeClient();
  const onVerdict = jest.fn();
  fake.willReturn(
    'session-1',
    finished('session-1', {
      isLive: false,
      reason: 'LOW_CONFIDENCE',
      feedback: ['LOW_LIGHTING_DETECTED', 'FACE_OBSTRUCTION_DETECTED', 'LOW_LIGHTING_DETECTED'],
    }),
  );
  render(<FaceLivenessCheck client={fake.client} credentialProvider={creds} onVerdict={onVerdict} />);

  fireEvent.click(screen.getByRole('button', { name: 'Start check' }));
  await flush();
  expect(fake.calls.create).toHaveLength(1);
  expect(screen.getByTestId('detector').dataset.session).toBe('session-1');
  expect(lastDetector().props).toMatchObject({ sessionId: 'session-1', region: 'eu-west-1', disableStartScreen: true });

  // The detector says the video is in: the verdict comes from the API.
  await act(() => lastDetector().props.onAnalysisComplete());
  expect(fake.calls.wait).toEqual([{ sessionId: 'session-1', timeoutMs: 30_000 }]);
  screen.getByRole('heading', { name: 'We couldn’t verify you' });
  screen.getByText('We could not confirm that you are a live person in front of the camera.');
  // Each feedback code once, as advice.
  expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual([
    'Find more light: face a window or a lamp.',
    'Remove anything covering your face: glasses, a mask, a hat or your hand.',
  ]);
  expect(onVerdict).toHaveBeenCalledTimes(1);
  expect(onVerdict.mock.calls[0][0]).toMatchObject({ sessionId: 'session-1', attestation: 'jws.for.backend' });

  fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
  await flush();
  expect(fake.calls.create).toHaveLength(2);
  expect(screen.getByTestId('detector').dataset.session).toBe('session-2');
  // A new detector, mounted afresh for the new session.
  expect(mockDetector.mounts).toEqual(['session-1', 'session-2']);

  await act(() => lastDetector().props.onAnalysisComplete());
  screen.getByRole('heading', { name: 'You’re verified' });
  expect(onVerdict).toHaveBeenCalledTimes(2);
  expect(onVerdict.mock.calls[1][0]).toMatchObject({ sessionId: 'session-2', isLive: true });
});

test('a detector error is shown in words; its retry is a new session and the old detector is ignored', async () => {
  const fake = fakeClient();
  const onError = jest.fn();
  render(<FaceLivenessCheck client={fake.client} credentialProvider={creds} onError={onError} />);
  fireEvent.click(screen.getByRole('button', { name: 'Start check' }));
  await flush();
  const first = lastDetector().props;

  act(() => first.onError({ state: 'SERVER_ERROR', error: new Error('Server ended the connection (code 1011)') }));
  screen.getByRole('heading', { name: 'The connection was interrupted' });
  expect(screen.getByRole('alert').dataset.problem).toBe('STREAM_INTERRUPTED');
  expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'STREAM_INTERRUPTED' }), expect.anything());

  fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
  await flush();
  expect(lastDetector().props.sessionId).toBe('session-2');
  // A late callback of the first session's detector changes nothing.
  await act(() => first.onAnalysisComplete());
  expect(fake.calls.wait).toEqual([]);
  expect(screen.getByTestId('detector').dataset.session).toBe('session-2');
});

test('cancelling returns to the start screen; a verdict that never comes is a problem with a retry', async () => {
  const fake = fakeClient();
  fake.willReturn(
    'session-2',
    new LivenessTimeoutError({ reason: 'TIMEOUT', sessionId: 'session-2', message: 'late' }),
  );
  render(<FaceLivenessCheck client={fake.client} credentialProvider={creds} resultTimeoutMs={5_000} />);
  fireEvent.click(screen.getByRole('button', { name: 'Start check' }));
  await flush();
  act(() => lastDetector().props.onUserCancel());
  fireEvent.click(screen.getByRole('button', { name: 'Start check' }));
  await flush();
  await act(() => lastDetector().props.onAnalysisComplete());
  expect(fake.calls.wait).toEqual([{ sessionId: 'session-2', timeoutMs: 5_000 }]);
  expect(screen.getByRole('alert').dataset.problem).toBe('RESULT_TIMEOUT');
  screen.getByRole('button', { name: 'Try again' });
});

test('a lockout shows its wait in minutes, and offers "Try again" only once the wait is over', async () => {
  jest.useFakeTimers();
  try {
    const fake = fakeClient();
    fake.failCreate(
      new LivenessApiError({
        status: 429,
        code: 'LOCKED_OUT',
        message: 'locked',
        retryable: false,
        retryAfterSeconds: 90,
      }),
    );
    render(<FaceLivenessCheck client={fake.client} credentialProvider={creds} />);
    fireEvent.click(screen.getByRole('button', { name: 'Start check' }));
    await flush();
    expect(screen.getByRole('alert').dataset.problem).toBe('LOCKED_OUT');
    screen.getByText('For your security, checks are paused. Try again in 2 minutes.');
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();

    act(() => jest.advanceTimersByTime(89_000));
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    act(() => jest.advanceTimersByTime(1_000));
    fake.failCreate(undefined);
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await flush();
    expect(screen.getByTestId('detector').dataset.session).toBe('session-1');
  } finally {
    jest.useRealTimers();
  }
});

test('the photosensitivity-friendly challenge: asked for, no flashing tip, and a refusal is not silently replaced', async () => {
  const fake = fakeClient();
  const { unmount } = render(
    <FaceLivenessCheck client={fake.client} credentialProvider={creds} challenge="FaceMovementChallenge" />,
  );
  expect(screen.queryByText(/flash/)).toBeNull();
  fireEvent.click(screen.getByRole('button', { name: 'Start check' }));
  await flush();
  expect(fake.calls.create).toEqual([{ challenge: 'FaceMovementChallenge' }]);
  unmount();

  // The backend does not allow it: the person is told, no other challenge (with flashes) is started instead.
  fake.failCreate(
    new LivenessApiError({
      status: 400,
      code: 'VALIDATION_ERROR',
      message: 'challenge must be one of FaceMovementAndLightChallenge',
      retryable: false,
      requestId: 'req-9',
    }),
  );
  render(<FaceLivenessCheck client={fake.client} credentialProvider={creds} challenge="FaceMovementChallenge" />);
  fireEvent.click(screen.getByRole('button', { name: 'Start check' }));
  await flush();
  expect(screen.getByRole('alert').dataset.problem).toBe('CHALLENGE_UNAVAILABLE');
  expect(screen.getByRole('alert').textContent).toContain('req-9');
  expect(fake.calls.create).toHaveLength(2);

  // The default challenge flashes colours: the start screen says so.
  render(<FaceLivenessCheck client={fake.client} credentialProvider={creds} />);
  screen.getByText(/The screen will flash colours/);
});

test('the session request carries the app’s fields, fresh for each attempt', async () => {
  const fake = fakeClient();
  let n = 0;
  render(
    <FaceLivenessCheck
      client={fake.client}
      credentialProvider={creds}
      sessionRequest={async () => ({ nonce: `order-${++n}` })}
      startScreen={false}
    />,
  );
  await flush();
  expect(fake.calls.create).toEqual([{ nonce: 'order-1' }]);
  act(() => lastDetector().props.onError({ state: 'TIMEOUT', error: new Error('timeout') }));
  fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
  await flush();
  expect(fake.calls.create).toEqual([{ nonce: 'order-1' }, { nonce: 'order-2' }]);
});

describe('credentials', () => {
  test('an app’s own provider streams through FaceLivenessDetectorCore, with the detector config passed through', async () => {
    const fake = fakeClient();
    const provider = jest.fn(() => ({ accessKeyId: 'AKIA', secretAccessKey: 'secret', sessionToken: undefined }));
    render(
      <FaceLivenessCheck
        client={fake.client}
        credentialProvider={provider}
        detectorConfig={{ binaryPath: '/tfjs-wasm/', faceModelUrl: '/face/model.json' }}
        displayText={{ hintCenterFaceText: 'Centre' }}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Start check' }));
    await flush();
    const { kind, props } = lastDetector();
    expect(kind).toBe('core');
    expect(props.config).toMatchObject({ binaryPath: '/tfjs-wasm/', faceModelUrl: '/face/model.json' });
    expect(props.displayText).toEqual({ hintCenterFaceText: 'Centre' });
    // Amplify's credential shape, without undefined fields.
    await expect(props.config!.credentialProvider!()).resolves.toEqual({
      accessKeyId: 'AKIA',
      secretAccessKey: 'secret',
    });
  });

  test('without a provider, Amplify Auth’s credentials (the plain FaceLivenessDetector)', async () => {
    const fake = fakeClient();
    render(<FaceLivenessCheck client={fake.client} detectorConfig={{ faceModelUrl: '/face/model.json' }} />);
    fireEvent.click(screen.getByRole('button', { name: 'Start check' }));
    await flush();
    expect(lastDetector().kind).toBe('amplify');
    expect(lastDetector().props.config).toEqual({ faceModelUrl: '/face/model.json' });
  });
});

describe('languages', () => {
  test('the person’s language, by tag or by its language', () => {
    const fake = fakeClient();
    render(<FaceLivenessCheck client={fake.client} credentialProvider={creds} locale="pt-BR" />);
    screen.getByRole('button', { name: 'Iniciar verificação' });
  });

  test('the first known language of a preference list; an unknown one falls back to English', () => {
    const fake = fakeClient();
    render(<FaceLivenessCheck client={fake.client} credentialProvider={creds} locale={['ja-JP', 'de-AT']} />);
    screen.getByRole('button', { name: 'Prüfung starten' });
    render(<FaceLivenessCheck client={fake.client} credentialProvider={creds} locale="ja" />);
    screen.getByRole('button', { name: 'Start check' });
  });

  test('any message can be overridden, over the chosen language', async () => {
    const fake = fakeClient();
    fake.willReturn('session-1', finished('session-1', { isLive: false, feedback: ['LOW_LIGHTING_DETECTED'] }));
    render(
      <FaceLivenessCheck
        client={fake.client}
        credentialProvider={creds}
        locale="fr"
        messages={{ startButton: 'On y va', feedback: { LOW_LIGHTING_DETECTED: 'Plus de lumière !' } }}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'On y va' }));
    await flush();
    await act(() => lastDetector().props.onAnalysisComplete());
    screen.getByRole('heading', { name: 'Nous n’avons pas pu vous vérifier' });
    screen.getByText('Plus de lumière !');
    // No reason given: the language's own fallback sentence.
    screen.getByText('La vérification n’a pas abouti.');
  });
});

const creds = async () => ({ accessKeyId: 'AKIA', secretAccessKey: 'secret', sessionToken: 'token' });
