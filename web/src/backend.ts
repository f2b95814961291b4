/**
 * Wires the configuration to the two things that need AWS access: the typed API client (POST /sessions, GET result)
 * and the detector's credentials (StartFaceLivenessSession over a WebSocket). Both use guest credentials from the
 * identity pool, deployed or local mode's stand-in alike: only the identity service's endpoint differs.
 */
import {
  type CredentialsProvider,
  cognitoGuestCredentials,
  createLivenessClient,
  type LivenessClient,
} from '../../client';
import type { LivenessAppConfig } from './config';

export interface Backend {
  readonly client: LivenessClient;
  readonly credentials: CredentialsProvider;
}

export function createBackend(config: LivenessAppConfig): Backend {
  // The project's own identity-pool client rather than Amplify's: Amplify derives the identity service from the
  // region and cannot be pointed at another endpoint, and this one is already what the CLI uses.
  const guest = cognitoGuestCredentials({
    identityPoolId: config.identityPoolId,
    ...(config.cognitoIdentityEndpoint !== undefined && { endpoint: config.cognitoIdentityEndpoint }),
  });

  const client = createLivenessClient({
    apiUrl: config.apiUrl,
    // authMode 'iam': API Gateway checks a SigV4 signature made with the identity pool's guest credentials.
    ...(config.authMode === 'iam' && { credentials: guest, region: config.region }),
  });

  return { client, credentials: guest };
}
