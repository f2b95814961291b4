/**
 * Callers of a local stack in its default mode (auth 'iam'): guest identities from the stack's identity pool
 * stand-in, and requests signed with their credentials, as a browser or the CLI sends them.
 */
import {
  cognitoGuestCredentials,
  createLivenessClient,
  createRequestSigner,
  type AwsCredentials,
  type LivenessClient,
} from '../../client';
import { LOCAL_REGION } from '../../local/stack';

export interface LocalCaller {
  readonly credentials: () => Promise<AwsCredentials>;
  readonly client: LivenessClient;
  /** fetch, signed with this caller's credentials. */
  fetch(url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }): Promise<Response>;
}

/** A new guest identity: GetId + GetCredentialsForIdentity against the stand-in, through the project's own client. */
export function newLocalCaller(stack: {
  readonly api: { readonly url: string };
  readonly identity: { readonly url: string; readonly pool: { readonly identityPoolId: string } };
}): LocalCaller {
  const credentials = cognitoGuestCredentials({
    identityPoolId: stack.identity.pool.identityPoolId,
    endpoint: stack.identity.url,
  });
  const signer = createRequestSigner({ credentials, region: LOCAL_REGION });
  return {
    credentials,
    client: createLivenessClient({ apiUrl: stack.api.url, region: LOCAL_REGION, credentials }),
    async fetch(url, init = {}) {
      const method = init.method ?? 'GET';
      const headers = await signer({
        method,
        url,
        headers: new Headers(init.headers),
        ...(init.body !== undefined && { body: init.body }),
      });
      return fetch(url, { method, headers, ...(init.body !== undefined && { body: init.body }) });
    },
  };
}
