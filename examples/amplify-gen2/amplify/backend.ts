/**
 * The Amplify Gen 2 backend: Amplify Auth plus the Face Liveness backend on Amplify's own identity-pool roles, so the
 * app has one identity pool and the browser uses Amplify's credentials. `npx ampx sandbox` deploys it.
 *
 * LIVENESS_AUTHORIZATION=cognito switches the API to Amplify's user pool tokens (signed-in users only).
 * LIVENESS_ALLOWED_ORIGINS (comma-separated) sets the CORS origins; the default is the Vite dev server.
 */
import { defineBackend } from '@aws-amplify/backend';
import { FaceLivenessBackend, LivenessAuthorization } from 'face-liveness-backend';
import { auth } from './auth/resource';

const backend = defineBackend({ auth });

const authorization =
  process.env.LIVENESS_AUTHORIZATION === 'cognito' ? LivenessAuthorization.COGNITO : LivenessAuthorization.IAM;
const stack = backend.createStack('face-liveness');
const { unauthenticatedUserIamRole, authenticatedUserIamRole, userPool } = backend.auth.resources;

const liveness = new FaceLivenessBackend(stack, 'Liveness', {
  allowedOrigins: (process.env.LIVENESS_ALLOWED_ORIGINS ?? 'http://localhost:5173').split(',').map((o) => o.trim()),
  authorization,
  // Amplify's guest and signed-in roles get exactly StartFaceLivenessSession and (IAM) the two API routes.
  existingBrowserRoles: [unauthenticatedUserIamRole, authenticatedUserIamRole],
  ...(authorization === LivenessAuthorization.COGNITO ? { userPool } : {}),
});

// Lands in amplify_outputs.json under `custom`.
backend.addOutput({
  custom: {
    faceLiveness: {
      apiUrl: liveness.apiUrl,
      region: stack.region,
      authorization,
    },
  },
});
