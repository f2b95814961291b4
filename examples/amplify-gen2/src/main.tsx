import { Amplify } from 'aws-amplify';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@aws-amplify/ui-react/styles.css';
// Written by `npx ampx sandbox` (or `npx ampx generate outputs`): Amplify Auth plus `custom.faceLiveness`.
import outputs from '../amplify_outputs.json';
import { App } from './App';

Amplify.configure(outputs);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App outputs={outputs} />
  </StrictMode>,
);
