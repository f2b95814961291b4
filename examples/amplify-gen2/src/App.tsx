/**
 * The plain FaceLivenessDetector: it takes its AWS credentials from Amplify Auth (guest or signed-in identity of
 * Amplify's identity pool). The backend calls are signed with the same credentials (IAM), or carry the user pool's ID
 * token (cognito), through the package's typed client.
 */
import { FaceLivenessDetector } from '@aws-amplify/ui-react-liveness';
import { fetchAuthSession } from 'aws-amplify/auth';
import { createLivenessClient, type FinishedResult } from 'face-liveness-backend/client';
import { useMemo, useState } from 'react';

interface FaceLivenessOutputs {
  readonly apiUrl: string;
  readonly region: string;
  /** 'iam' or 'cognito' (LivenessAuthorization). */
  readonly authorization: string;
}

export function App({ outputs }: { outputs: { custom?: { faceLiveness?: FaceLivenessOutputs } } }) {
  const config = outputs.custom?.faceLiveness;
  const [sessionId, setSessionId] = useState<string>();
  const [result, setResult] = useState<FinishedResult>();
  const [error, setError] = useState<string>();

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

  const start = async () => {
    setError(undefined);
    setResult(undefined);
    try {
      setSessionId((await client.createSession()).sessionId);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  if (result)
    return (
      <p>
        {result.isLive ? 'Verified: a live person.' : `Not verified (${result.reason ?? 'unknown'}).`}{' '}
        <button type="button" onClick={start}>
          Again
        </button>
      </p>
    );
  if (!sessionId)
    return (
      <div>
        <button type="button" onClick={start}>
          Start the liveness check
        </button>
        {error && <p role="alert">{error}</p>}
      </div>
    );
  return (
    <FaceLivenessDetector
      sessionId={sessionId}
      region={config.region}
      onAnalysisComplete={async () => {
        try {
          setResult(await client.waitForResult(sessionId));
        } catch (e) {
          setError(e instanceof Error ? e.message : String(e));
        }
        setSessionId(undefined);
      }}
      onError={(e) => {
        setError(e.error.message);
        setSessionId(undefined);
      }}
    />
  );
}
