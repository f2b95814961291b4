/**
 * Wires the configuration to the two things that need AWS access: the typed API client (POST /sessions, GET result)
 * and the detector's credential provider (StartFaceLivenessSession over a WebSocket).
 */
import type { AwsCredentialProvider } from '@aws-amplify/ui-react-liveness';
import { cognitoGuestCredentials, createLivenessClient, type AwsCredentials, type LivenessClient } from '../../client';
import type { LivenessAppConfig } from './config';

export interface Backend {
  readonly client: LivenessClient;
  readonly credentialProvider: AwsCredentialProvider;
}

/** Local mode: the streaming emulator checks that the URL is presigned, not who signed it. */
const LOCAL_CREDENTIALS_TTL_MS = 15 * 60 * 1000;

export function createBackend(config: LivenessAppConfig): Backend {
  const guest = config.identityPoolId ? cognitoGuestCredentials({ identityPoolId: config.identityPoolId }) : undefined;
  const streamingCredentials: () => Promise<AwsCredentials> =
    guest ??
    (async () => ({
      accessKeyId: 'ASIALOCALEMULATOR000',
      secretAccessKey: 'local-emulator-secret',
      sessionToken: 'local-emulator-session-token',
      expiration: new Date(Date.now() + LOCAL_CREDENTIALS_TTL_MS),
    }));

  const client = createLivenessClient({
    apiUrl: config.apiUrl,
    // authMode 'iam': API Gateway checks a SigV4 signature made with the identity pool's guest credentials.
    ...(config.authMode === 'iam' && guest && { credentials: guest, region: config.region }),
  });

  return {
    client,
    credentialProvider: async () => {
      const c = await streamingCredentials();
      return {
        accessKeyId: c.accessKeyId,
        secretAccessKey: c.secretAccessKey,
        ...(c.sessionToken !== undefined && { sessionToken: c.sessionToken }),
        ...(c.expiration !== undefined && { expiration: c.expiration }),
      };
    },
  };
}
