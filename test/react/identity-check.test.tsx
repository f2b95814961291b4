/**
 * @jest-environment jsdom
 *
 * <FaceLivenessCheck> with an identity check: the token the app's backend issued goes with each attempt's session (a
 * fresh one per attempt when the app passes a function), and the verdict's identity outcome is shown in words.
 */
import { act, fireEvent, render, screen } from '@testing-library/react';
import type { CreateSessionRequest, CreateSessionResponse, FinishedResult, LivenessClient } from '../../client';
import { LivenessApiError } from '../../client/errors';
import { IDENTITY_REASONS, type IdentityResult } from '../../contract/identity';
import { FaceLivenessCheck, LIVENESS_MESSAGES, resolveMessages } from '../../react';

interface MockDetectorProps {
  readonly sessionId: string;
  readonly onAnalysisComplete: () => Promise<void>;
}

const mockDetector = { renders: [] as MockDetectorProps[] };

jest.mock('@aws-amplify/ui-react-liveness', () => {
  const React = jest.requireActual<typeof import('react')>('react');
  function Detector(props: MockDetectorProps) {
    mockDetector.renders.push(props);
    return React.createElement('div', { 'data-testid': 'detector', 'data-session': props.sessionId });
  }
  return { FaceLivenessDetectorCore: Detector, FaceLivenessDetector: Detector };
});

const creds = async () => ({ accessKeyId: 'AKIA', secretAccessKey: 'secret', sessionToken: 'token' });
const TOKEN_1 = 'a'.repeat(43);
const TOKEN_2 = 'b'.repeat(43);

function fakeClient(results: (sessionId: string) => FinishedResult) {
  const created: CreateSessionRequest[] = [];
  let n = 0;
  const client: Pick<LivenessClient, 'createSession' | 'waitForResult'> = {
    createSession: async (request = {}): Promise<CreateSessionResponse> => {
      created.push(request);
      if (
        request.identityCheck !== undefined &&
        created.some((r, i) => i < created.length - 1 && r.identityCheck === request.identityCheck)
      ) {
        throw new LivenessApiError({
          status: 400,
          code: 'IDENTITY_CHECK_INVALID',
          message: 'identityCheck is already bound to a session',
          retryable: false,
        });
      }
      n += 1;
      return {
        sessionId: `session-${n}`,
        region: 'us-east-1',
        expiresAt: new Date(Date.now() + 180_000).toISOString(),
      };
    },
    waitForResult: async (sessionId) => results(sessionId),
  };
  return { client, created };
}

function verdict(sessionId: string, identity: IdentityResult | undefined, isLive = true): FinishedResult {
  return {
    sessionId,
    status: 'SUCCEEDED',
    done: true,
    isLive,
    feedback: [],
    ...(!isLive && { reason: 'LOW_CONFIDENCE' as const }),
    ...(identity && { identity }),
  };
}

const matched: IdentityResult = { method: 'reference', subject: 'user-1', matched: true, threshold: 99 };

async function flush() {
  await act(async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  });
}

async function runOnce() {
  fireEvent.click(screen.getByRole('button', { name: /Start check|Try again/ }));
  await flush();
  await act(() => mockDetector.renders.at(-1)!.onAnalysisComplete());
}

beforeEach(() => {
  mockDetector.renders.length = 0;
});

test('a token function is asked once per attempt, and each session carries its own fresh token', async () => {
  const tokens = [TOKEN_1, TOKEN_2];
  const identityCheck = jest.fn(async () => tokens.shift()!);
  const fake = fakeClient((id) =>
    verdict(id, { method: 'reference', subject: 'user-1', matched: false, reason: 'BELOW_THRESHOLD', threshold: 99 }),
  );
  const onVerdict = jest.fn();
  render(
    <FaceLivenessCheck
      client={fake.client}
      credentialProvider={creds}
      identityCheck={identityCheck}
      challenge="FaceMovementChallenge"
      onVerdict={onVerdict}
    />,
  );

  await runOnce();
  await runOnce();

  expect(identityCheck).toHaveBeenCalledTimes(2);
  expect(fake.created).toEqual([
    { challenge: 'FaceMovementChallenge', identityCheck: TOKEN_1 },
    { challenge: 'FaceMovementChallenge', identityCheck: TOKEN_2 },
  ]);
  // onVerdict gets the identity outcome with the verdict.
  expect(onVerdict.mock.calls.map(([r]) => r.identity)).toEqual([
    expect.objectContaining({ matched: false, reason: 'BELOW_THRESHOLD' }),
    expect.objectContaining({ matched: false, reason: 'BELOW_THRESHOLD' }),
  ]);
});

test('a plain token string serves one attempt; a retry with it is refused in words, not a crash', async () => {
  const fake = fakeClient((id) => verdict(id, undefined, false));
  render(<FaceLivenessCheck client={fake.client} credentialProvider={creds} identityCheck={TOKEN_1} />);

  await runOnce();
  fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
  await flush();

  expect(fake.created.map((r) => r.identityCheck)).toEqual([TOKEN_1, TOKEN_1]);
  expect(screen.getByRole('alert').dataset.problem).toBe('IDENTITY_CHECK_INVALID');
  screen.getByRole('heading', { name: 'This check can’t be used' });
});

test('without an identity check, no identityCheck field is sent and no identity line is shown', async () => {
  const fake = fakeClient((id) => verdict(id, undefined));
  render(<FaceLivenessCheck client={fake.client} credentialProvider={creds} />);
  await runOnce();
  expect(fake.created).toEqual([{}]);
  screen.getByRole('heading', { name: 'You’re verified' });
  expect(document.querySelector('.flc-identity')).toBeNull();
  expect(document.querySelector('[data-identity]')).toBeNull();
});

test('a live, matched verdict says "Matched", and never a similarity', async () => {
  const fake = fakeClient((id) => verdict(id, { ...matched, similarity: 99.5 }));
  render(<FaceLivenessCheck client={fake.client} credentialProvider={creds} identityCheck={TOKEN_1} />);
  await runOnce();
  screen.getByRole('heading', { name: 'You’re verified' });
  screen.getByText('Matched', { exact: true });
  expect(document.querySelector('[data-verdict="live"]')?.getAttribute('data-identity')).toBe('matched');
  expect(document.body.textContent).not.toContain('99.5');
});

test('a live verdict that does not match is not "verified": "Not matched" with the reason, and a retry', async () => {
  const fake = fakeClient((id) =>
    verdict(id, { method: 'reference', subject: 'user-1', matched: false, reason: 'MULTIPLE_FACES', threshold: 99 }),
  );
  render(<FaceLivenessCheck client={fake.client} credentialProvider={creds} identityCheck={async () => TOKEN_1} />);
  await runOnce();
  expect(screen.queryByRole('heading', { name: 'You’re verified' })).toBeNull();
  screen.getByRole('heading', { name: 'We couldn’t confirm who you are' });
  screen.getByText('Not matched: The ID photo shows more than one face.', { exact: true });
  expect(document.querySelector('[data-identity-reason]')?.getAttribute('data-identity-reason')).toBe('MULTIPLE_FACES');
  screen.getByRole('button', { name: 'Try again' });
});

test('enrolment speaks of enrolling: "Enrolled", or "Not enrolled" with the reason', async () => {
  let enrolled = true;
  const fake = fakeClient((id) =>
    verdict(
      id,
      enrolled
        ? { method: 'enrol', subject: 'user-1', matched: true, threshold: 99 }
        : {
            method: 'enrol',
            subject: 'user-1',
            matched: false,
            reason: 'FACE_ENROLLED_FOR_ANOTHER_SUBJECT',
            threshold: 99,
          },
    ),
  );
  const { unmount } = render(
    <FaceLivenessCheck client={fake.client} credentialProvider={creds} identityCheck={async () => TOKEN_1} />,
  );
  await runOnce();
  screen.getByText('Enrolled', { exact: true });
  unmount();

  enrolled = false;
  render(<FaceLivenessCheck client={fake.client} credentialProvider={creds} identityCheck={async () => TOKEN_2} />);
  await runOnce();
  screen.getByText('Not enrolled: This face is already enrolled for another account.', { exact: true });
});

test('a verdict that is not live shows the liveness reason, not an identity line (no comparison was made)', async () => {
  const fake = fakeClient((id) =>
    verdict(id, { method: 'enrolled', subject: 'user-1', matched: false, reason: 'NOT_LIVE', threshold: 99 }, false),
  );
  render(<FaceLivenessCheck client={fake.client} credentialProvider={creds} identityCheck={async () => TOKEN_1} />);
  await runOnce();
  screen.getByRole('heading', { name: 'We couldn’t verify you' });
  expect(document.querySelector('.flc-identity')).toBeNull();
});

test('a token function that fails stops the attempt with a problem and no session', async () => {
  const fake = fakeClient((id) => verdict(id, matched));
  const onError = jest.fn();
  render(
    <FaceLivenessCheck
      client={fake.client}
      credentialProvider={creds}
      identityCheck={async () => {
        throw new Error('backend down');
      }}
      onError={onError}
    />,
  );
  fireEvent.click(screen.getByRole('button', { name: 'Start check' }));
  await flush();
  expect(fake.created).toEqual([]);
  expect(screen.getByRole('alert')).toBeTruthy();
  expect(onError).toHaveBeenCalledWith(expect.objectContaining({ retry: true }), expect.any(Error));
});

describe('identity words', () => {
  test.each(Object.entries(LIVENESS_MESSAGES))('%s: every identity reason and outcome has its words', (lang, m) => {
    expect(Object.keys(m.identityReasons).sort()).toEqual([...IDENTITY_REASONS].sort());
    const texts = Object.values(m.identityReasons);
    for (const text of texts) expect(text).toMatch(/^\p{Lu}.{10,110}\.$/u);
    for (const word of [m.identityMatched, m.identityNotMatched, m.identityEnrolled, m.identityNotEnrolled]) {
      expect(word.length).toBeGreaterThan(3);
    }
    expect(m.identityNotMatchedTitle.length).toBeGreaterThan(10);
    expect(new Set([m.identityMatched, m.identityNotMatched, m.identityEnrolled, m.identityNotEnrolled]).size).toBe(4);
    if (lang !== 'en') {
      const en = LIVENESS_MESSAGES.en!;
      expect(texts.filter((t) => Object.values(en.identityReasons).includes(t))).toEqual([]);
      expect(m.identityNotMatchedTitle).not.toBe(en.identityNotMatchedTitle);
    }
  });

  test('the outcome is shown in the chosen language, with overrides for single reasons', async () => {
    const messages = resolveMessages('es', { identityReasons: { BELOW_THRESHOLD: 'No eres tú.' } });
    expect(messages.identityReasons.BELOW_THRESHOLD).toBe('No eres tú.');
    expect(messages.identityReasons.MULTIPLE_FACES).toBe(LIVENESS_MESSAGES.es!.identityReasons.MULTIPLE_FACES);
    const fake = fakeClient((id) =>
      verdict(id, { method: 'reference', subject: 'u', matched: false, reason: 'BELOW_THRESHOLD', threshold: 99 }),
    );
    render(
      <FaceLivenessCheck
        client={fake.client}
        credentialProvider={creds}
        identityCheck={async () => TOKEN_1}
        locale="es-MX"
        messages={{ identityReasons: { BELOW_THRESHOLD: 'No eres tú.' } }}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: LIVENESS_MESSAGES.es!.startButton }));
    await flush();
    await act(() => mockDetector.renders.at(-1)!.onAnalysisComplete());
    screen.getByText('No coincide: No eres tú.', { exact: true });
  });
});
