import { createRoot } from 'react-dom/client';
import '@aws-amplify/ui-react-liveness/styles.css';
import { App } from './App';
import { createBackend } from './backend';
import { ConfigError, loadConfig } from './config';
import { redirectStreamingTo } from './local-streaming';
import '../../react/styles.css';
import './styles.css';

const root = createRoot(document.getElementById('root')!);

loadConfig()
  .then((config) => {
    if (config.local && config.localStreamingEndpoint) redirectStreamingTo(config.localStreamingEndpoint);
    // No StrictMode: its development double-mount would open the detector's stream twice, and a session streams once.
    root.render(<App config={config} backend={createBackend(config)} />);
  })
  .catch((error: unknown) => {
    console.error(error);
    const message = error instanceof ConfigError ? error.message : 'The app could not start. Reload the page.';
    root.render(
      <main className="app">
        <section className="panel">
          <div className="flc-screen flc-error" role="alert" data-problem="CONFIG">
            <h2>This app is not set up</h2>
            <p>{message}</p>
          </div>
        </section>
      </main>,
    );
  });
