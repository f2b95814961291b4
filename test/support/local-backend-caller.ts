/**
 * Local mode's app backend: requests signed with LOCAL_BACKEND_CREDENTIALS, the only credentials the local API takes
 * on the backend routes (identity verification), as a deployment takes only the role `grantIdentityChecks` granted.
 */
import { createRequestSigner, type AwsCredentials } from '../../client';
import { LOCAL_BACKEND_CREDENTIALS } from '../../contract/local-mode';
import { LOCAL_REGION } from '../../local/stack';

export type SignedFetch = (
  url: string,
  init?: { method?: string; headers?: Record<string, string>; body?: string },
) => Promise<Response>;

export function signedFetch(credentials: AwsCredentials | (() => Promise<AwsCredentials>)): SignedFetch {
  const signer = createRequestSigner({ credentials, region: LOCAL_REGION });
  return async (url, init = {}) => {
    const method = init.method ?? 'GET';
    const headers = await signer({
      method,
      url,
      headers: new Headers(init.headers),
      ...(init.body !== undefined && { body: init.body }),
    });
    return fetch(url, { method, headers, ...(init.body !== undefined && { body: init.body }) });
  };
}

/** fetch, signed as local mode's app backend. */
export const backendFetch: SignedFetch = signedFetch({ ...LOCAL_BACKEND_CREDENTIALS });
