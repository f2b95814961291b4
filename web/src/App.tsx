import { useCallback, useEffect, useRef, useState } from 'react';
import { FaceLivenessDetectorCore, type FaceLivenessDetectorCoreProps } from '@aws-amplify/ui-react-liveness';
import type { CreateSessionResponse, FinishedResult } from '../../client';
import type { Backend } from './backend';
import type { LivenessAppConfig } from './config';
import { describeDetectorError, describeRequestError, FEEDBACK_ADVICE, REASON_TEXT, type Problem } from './messages';

/** How long to wait for the verdict once the video is in; the session's own 3-minute life caps it anyway. */
const RESULT_TIMEOUT_MS = 30_000;

type Phase =
  | { readonly kind: 'start' }
  | { readonly kind: 'creating' }
  | { readonly kind: 'checking'; readonly session: CreateSessionResponse }
  | { readonly kind: 'verifying'; readonly session: CreateSessionResponse }
  | { readonly kind: 'result'; readonly result: FinishedResult }
  | { readonly kind: 'error'; readonly problem: Problem };

export interface AppProps {
  readonly config: LivenessAppConfig;
  readonly backend: Backend;
}

export function App({ config, backend }: AppProps) {
  const [phase, setPhase] = useState<Phase>({ kind: 'start' });
  // One controller per attempt: leaving the attempt (retry, unmount) cancels its requests.
  const attempt = useRef<AbortController | undefined>(undefined);
  useEffect(() => () => attempt.current?.abort(), []);

  /** Every attempt gets a NEW session: a session is single-use and lives 3 minutes. */
  const startCheck = useCallback(async () => {
    attempt.current?.abort();
    const controller = new AbortController();
    attempt.current = controller;
    setPhase({ kind: 'creating' });
    try {
      const session = await backend.client.createSession(config.challenge ? { challenge: config.challenge } : {}, {
        signal: controller.signal,
      });
      if (!controller.signal.aborted) setPhase({ kind: 'checking', session });
    } catch (error) {
      if (controller.signal.aborted) return;
      console.error('Could not create a liveness session', error);
      setPhase({ kind: 'error', problem: describeRequestError(error) });
    }
  }, [backend, config]);

  const fetchVerdict = useCallback(
    async (session: CreateSessionResponse) => {
      const controller = attempt.current;
      setPhase({ kind: 'verifying', session });
      try {
        const result = await backend.client.waitForResult(session.sessionId, {
          signal: controller?.signal,
          timeoutMs: RESULT_TIMEOUT_MS,
          expiresAt: session.expiresAt,
        });
        if (!controller?.signal.aborted) setPhase({ kind: 'result', result });
      } catch (error) {
        if (controller?.signal.aborted) return;
        console.error('Could not get the liveness result', error);
        setPhase({ kind: 'error', problem: describeRequestError(error) });
      }
    },
    [backend],
  );

  return (
    <main className="app">
      <header className="app-header">
        <h1>Face check</h1>
      </header>
      <section className="panel" aria-live="polite" data-screen={phase.kind}>
        {phase.kind === 'start' && (
          <StartScreen onStart={startCheck} flashes={config.challenge !== 'FaceMovementChallenge'} />
        )}
        {phase.kind === 'creating' && <Busy text="Preparing your check…" />}
        {phase.kind === 'checking' && (
          <Detector
            // A new session id remounts the detector: its state machine never outlives one session.
            key={phase.session.sessionId}
            session={phase.session}
            config={config}
            credentialProvider={backend.credentialProvider}
            onAnalysisComplete={() => fetchVerdict(phase.session)}
            onError={(error) => {
              console.error('Liveness detector error', error.state, error.error);
              setPhase({ kind: 'error', problem: describeDetectorError(error) });
            }}
            onUserCancel={() => setPhase({ kind: 'start' })}
          />
        )}
        {phase.kind === 'verifying' && <Busy text="Checking the result…" />}
        {phase.kind === 'result' && <ResultScreen result={phase.result} onRetry={startCheck} />}
        {phase.kind === 'error' && <ErrorScreen problem={phase.problem} onRetry={startCheck} />}
      </section>
    </main>
  );
}

function StartScreen({ onStart, flashes }: { onStart: () => void; flashes: boolean }) {
  return (
    <div className="screen start">
      <h2>Check that it’s really you</h2>
      <p>We’ll use your camera for a few seconds to confirm that a live person is in front of it.</p>
      <ul className="tips">
        <li>Find a well-lit place and face the light.</li>
        <li>Remove sunglasses, masks or hats.</li>
        <li>Hold your device at arm’s length, then move closer when asked to fill the oval.</li>
        {flashes && (
          <li>
            The screen will flash colours: if you are sensitive to flashing lights, ask for another way to verify.
          </li>
        )}
      </ul>
      <button type="button" className="primary" onClick={onStart}>
        Start check
      </button>
    </div>
  );
}

function Busy({ text }: { text: string }) {
  return (
    <div className="screen busy" role="status">
      <div className="spinner" aria-hidden="true" />
      <p>{text}</p>
    </div>
  );
}

interface DetectorProps {
  readonly session: CreateSessionResponse;
  readonly config: LivenessAppConfig;
  readonly credentialProvider: Backend['credentialProvider'];
  readonly onAnalysisComplete: () => Promise<void>;
  readonly onError: NonNullable<FaceLivenessDetectorCoreProps['onError']>;
  readonly onUserCancel: () => void;
}

function Detector({ session, config, credentialProvider, onAnalysisComplete, onError, onUserCancel }: DetectorProps) {
  return (
    <div className="screen detector">
      <FaceLivenessDetectorCore
        sessionId={session.sessionId}
        // The session's own region: the browser must stream where the backend created it.
        region={session.region}
        onAnalysisComplete={onAnalysisComplete}
        onError={onError}
        onUserCancel={onUserCancel}
        // Our start screen already explained the check.
        disableStartScreen
        config={{
          credentialProvider,
          ...(config.binaryPath !== undefined && { binaryPath: config.binaryPath }),
          ...(config.faceModelUrl !== undefined && { faceModelUrl: config.faceModelUrl }),
        }}
      />
    </div>
  );
}

function ResultScreen({ result, onRetry }: { result: FinishedResult; onRetry: () => void }) {
  if (result.isLive) {
    return (
      <div className="screen result verified">
        <div className="badge ok" aria-hidden="true">
          ✓
        </div>
        <h2>You’re verified</h2>
        <p>Thanks, the check is complete.</p>
      </div>
    );
  }
  // Each code once, in the order Rekognition gave them.
  const advice = [...new Set(result.feedback)]
    .map((code) => FEEDBACK_ADVICE[code])
    .filter((text): text is string => !!text);
  return (
    <div className="screen result not-verified">
      <div className="badge fail" aria-hidden="true">
        !
      </div>
      <h2>We couldn’t verify you</h2>
      <p>{result.reason ? REASON_TEXT[result.reason] : 'The check did not pass.'}</p>
      {advice.length > 0 && (
        <>
          <h3>Before you try again</h3>
          <ul className="advice">
            {advice.map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
        </>
      )}
      <button type="button" className="primary" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}

function ErrorScreen({ problem, onRetry }: { problem: Problem; onRetry: () => void }) {
  return (
    <div className="screen error" role="alert" data-problem={problem.code}>
      <div className="badge fail" aria-hidden="true">
        !
      </div>
      <h2>{problem.title}</h2>
      <p>{problem.message}</p>
      {problem.retry && (
        <button type="button" className="primary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
