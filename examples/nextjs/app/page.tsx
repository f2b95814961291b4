import { headers } from 'next/headers';
import { type AppConfig, appConfig, ConfigError } from './config';
import { LivenessCheck } from './liveness-check';

// Rendered per request: the nonce of the policy (proxy.ts) and the config from the environment.
export const dynamic = 'force-dynamic';

export default async function Page() {
  await headers();
  let config: AppConfig;
  try {
    config = appConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return (
      <main className="app">
        <section className="panel">
          <div className="flc-screen flc-error" role="alert" data-problem="CONFIG">
            <h2>This app is not set up</h2>
            <p>{error.message}</p>
          </div>
        </section>
      </main>
    );
  }
  return (
    <main className="app">
      <header className="app-header">
        <h1>Face check</h1>
      </header>
      <LivenessCheck config={config} />
    </main>
  );
}
