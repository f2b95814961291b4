'use client';
import { useMemo } from 'react';
import { cognitoGuestCredentials, createLivenessClient } from '../../../client';
import { FaceLivenessCheck } from '../../../react';
import type { AppConfig } from './config';

export function Check({ config }: { config: AppConfig }) {
  const { client, credentials } = useMemo(() => {
    // Guest credentials from the identity pool, for the video stream and (authMode iam) for signing API calls.
    const guest = cognitoGuestCredentials({
      identityPoolId: config.identityPoolId!,
      ...(config.cognitoIdentityEndpoint !== undefined && { endpoint: config.cognitoIdentityEndpoint }),
    });
    const api = createLivenessClient({
      apiUrl: config.apiUrl,
      ...(config.authMode === 'iam' && { credentials: guest, region: config.region }),
    });
    return { client: api, credentials: guest };
  }, [config]);

  return (
    <FaceLivenessCheck
      className="panel"
      client={client}
      credentialProvider={credentials}
      {...(config.challenge !== undefined && { challenge: config.challenge })}
      locale={typeof navigator === 'undefined' ? 'en' : navigator.languages}
      detectorConfig={{
        ...(config.binaryPath !== undefined && { binaryPath: new URL(config.binaryPath, window.location.href).href }),
        ...(config.faceModelUrl !== undefined && {
          faceModelUrl: new URL(config.faceModelUrl, window.location.href).href,
        }),
      }}
      onError={(problem, cause) => console.error('Liveness check stopped:', problem.code, cause)}
    />
  );
}
