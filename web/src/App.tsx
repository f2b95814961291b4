import { useCallback, useState } from 'react';
import { FaceLivenessCheck } from '../../react';
import type { Backend } from './backend';
import type { LivenessAppConfig } from './config';
import { DEMO_ID_PHOTOS, type DemoIdPhoto, type DemoMode, demoCheckToken } from './demo-backend';

export interface AppProps {
  readonly config: LivenessAppConfig;
  readonly backend: Backend;
}

const MODES: readonly { readonly mode: DemoMode; readonly label: string }[] = [
  { mode: 'liveness', label: 'Liveness' },
  { mode: 'id-photo', label: 'ID photo check' },
  { mode: 'enrol-verify', label: 'Enrol, then verify' },
];

/**
 * The whole check is the package's React component (face-liveness-backend/react): a session per attempt, the wait
 * for the verdict, errors and feedback in the person's language, retries on a new session, a lockout's wait. What
 * stays here is this app's: its config file, its credentials, its page, and, in local mode, the identity flows whose
 * one-time tokens come from the demo app backend (the browser never names the photo or the subject).
 */
export function App({ config, backend }: AppProps) {
  const [mode, setMode] = useState<DemoMode>('liveness');
  const [idPhoto, setIdPhoto] = useState<DemoIdPhoto>('p1');
  const [step, setStep] = useState<'enrol' | 'verify'>('enrol');
  const [enrolled, setEnrolled] = useState(false);
  const demoBackend = config.demoBackend;

  const flow = mode === 'id-photo' ? 'id-photo' : mode === 'enrol-verify' ? step : undefined;
  // A fresh token per attempt: a token binds one session, and "Try again" is a new session.
  const identityCheck = useCallback(
    () => demoCheckToken(demoBackend!, flow === 'id-photo' ? { flow, person: idPhoto } : { flow: flow! }),
    [demoBackend, flow, idPhoto],
  );

  const choose = (next: DemoMode) => {
    setMode(next);
    setStep('enrol');
    setEnrolled(false);
  };

  return (
    <main className="app">
      <header className="app-header">
        <h1>Face check</h1>
      </header>
      {demoBackend !== undefined && (
        <fieldset className="modes">
          <legend>What to check</legend>
          {MODES.map(({ mode: m, label }) => (
            <label key={m}>
              <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => choose(m)} /> {label}
            </label>
          ))}
        </fieldset>
      )}
      {mode === 'id-photo' && demoBackend !== undefined && (
        <section className="demo-note">
          <label>
            ID photo on file{' '}
            <select value={idPhoto} onChange={(e) => setIdPhoto(e.target.value as DemoIdPhoto)}>
              {(Object.keys(DEMO_ID_PHOTOS) as DemoIdPhoto[]).map((p) => (
                <option key={p} value={p}>
                  {DEMO_ID_PHOTOS[p]}
                </option>
              ))}
            </select>
          </label>
          <img
            className="id-photo"
            src={new URL(`id-photos/${idPhoto}.jpg`, demoBackend).toString()}
            alt={`The demo backend’s ID photo: ${DEMO_ID_PHOTOS[idPhoto]}`}
            width={90}
            height={120}
          />
          <p>The demo backend, not this page, sends this photo with the check.</p>
        </section>
      )}
      {mode === 'enrol-verify' && (
        <section className="demo-note">
          <p>
            {step === 'enrol'
              ? 'Step 1 of 2: enrol your face for the demo user.'
              : 'Step 2 of 2: verify against the enrolled face.'}
          </p>
          {step === 'enrol' && enrolled && (
            <button type="button" onClick={() => setStep('verify')}>
              Continue to verify
            </button>
          )}
        </section>
      )}
      <FaceLivenessCheck
        // A new check (back to its start screen) whenever what is checked changes.
        key={`${mode}/${idPhoto}/${step}`}
        className="panel"
        client={backend.client}
        credentialProvider={backend.credentials}
        {...(config.challenge !== undefined && { challenge: config.challenge })}
        {...(flow !== undefined && { identityCheck })}
        locale={navigator.languages}
        detectorConfig={{
          ...(config.binaryPath !== undefined && { binaryPath: config.binaryPath }),
          ...(config.faceModelUrl !== undefined && { faceModelUrl: config.faceModelUrl }),
        }}
        onVerdict={(result) => {
          if (flow === 'enrol' && result.identity?.matched) setEnrolled(true);
        }}
        onError={(problem, cause) => console.error('Liveness check stopped:', problem.code, cause)}
      />
    </main>
  );
}
