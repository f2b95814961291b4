/**
 * The whole check is the package's <FaceLivenessCheck>: with no `credentialProvider`, the detector takes its AWS
 * credentials from Amplify Auth (guest or signed-in identity of Amplify's identity pool). The backend calls are signed
 * with the same credentials (IAM), or carry the user pool's ID token (cognito), through the package's typed client.
 */
import { fetchAuthSession } from 'aws-amplify/auth';
import { createLivenessClient } from 'face-liveness-backend/client';
import { FaceLivenessCheck } from 'face-liveness-backend/react';
import { useMemo, useState } from 'react';

interface FaceLivenessOutputs {
  readonly apiUrl: string;
  readonly region: string;
  /** 'iam' or 'cognito' (LivenessAuthorization). */
  readonly authorization: string;
}

export function App({ outputs }: { outputs: { custom?: { faceLiveness?: FaceLivenessOutputs } } }) {
  const config = outputs.custom?.faceLiveness;
  // The verdict's attestation is for your app's backend, which verifies it (face-liveness-backend/server).
  const [attestation, setAttestation] = useState<string>();

  const client = useMemo(() => {
    if (!config) return undefined;
    if (config.authorization === 'cognito') {
      return createLivenessClient({
        apiUrl: config.apiUrl,
        signer: async ({ headers }) => {
          const token = (await fetchAuthSession()).tokens?.idToken?.toString();
          if (!token) throw new Error('Sign in first: the API accepts user pool tokens only.');
          const signed = new Headers(headers);
          signed.set('Authorization', token);
          return signed;
        },
      });
    }
    return createLivenessClient({
      apiUrl: config.apiUrl,
      region: config.region,
      // Amplify's credentials (cached and refreshed by Amplify), the same ones FaceLivenessDetector streams with.
      credentials: async () => {
        const credentials = (await fetchAuthSession()).credentials;
        if (!credentials) throw new Error('Amplify Auth returned no credentials: is guest access on?');
        return credentials;
      },
    });
  }, [config]);

  if (!config || !client) return <p>amplify_outputs.json has no custom.faceLiveness: run `npx ampx sandbox` first.</p>;

  return (
    <>
      <FaceLivenessCheck
        client={client}
        locale={navigator.languages}
        onVerdict={(result) => setAttestation(result.attestation)}
        onError={(problem, cause) => console.error('Liveness check stopped:', problem.code, cause)}
      />
      {attestation && <p>Attestation received: send it to your backend to verify and consume.</p>}
    </>
  );
}
