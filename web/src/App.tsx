import { FaceLivenessCheck } from '../../react';
import type { Backend } from './backend';
import type { LivenessAppConfig } from './config';

export interface AppProps {
  readonly config: LivenessAppConfig;
  readonly backend: Backend;
}

/**
 * The whole check is the package's React component (face-liveness-backend/react): a session per attempt, the wait
 * for the verdict, errors and feedback in the person's language, retries on a new session, a lockout's wait. What
 * stays here is this app's: its config file, its credentials, its page.
 */
export function App({ config, backend }: AppProps) {
  return (
    <main className="app">
      <header className="app-header">
        <h1>Face check</h1>
      </header>
      <FaceLivenessCheck
        className="panel"
        client={backend.client}
        credentialProvider={backend.credentials}
        {...(config.challenge !== undefined && { challenge: config.challenge })}
        locale={navigator.languages}
        detectorConfig={{
          ...(config.binaryPath !== undefined && { binaryPath: config.binaryPath }),
          ...(config.faceModelUrl !== undefined && { faceModelUrl: config.faceModelUrl }),
        }}
        onError={(problem, cause) => console.error('Liveness check stopped:', problem.code, cause)}
      />
    </main>
  );
}
