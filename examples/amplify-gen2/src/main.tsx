import { Amplify } from 'aws-amplify';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@aws-amplify/ui-react/styles.css';
// amplify_outputs.json, written by `npx ampx sandbox` (or `npx ampx generate outputs`): Amplify Auth plus
// `custom.faceLiveness`. Without it, amplify_outputs.sample.json (tsconfig.json `paths`, vite.config.ts `alias`).
import outputs from '@amplify-outputs';
import { App } from './App';

Amplify.configure(outputs);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App outputs={outputs} />
  </StrictMode>,
);
