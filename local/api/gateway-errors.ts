/**
 * The gateway responses the local API answers itself, for IAM authorization failures: the same code, status and
 * message as the deployed API's (lib/gateway-responses.ts; test/local/local-auth.test.ts keeps the two equal). Kept
 * as data here so local mode does not load aws-cdk-lib at run time.
 */
import type { ErrorCode } from '../../contract/error-codes';
import type { SigV4Failure } from '../emulators/cognito-identity';

export const LOCAL_GATEWAY_ERRORS: Readonly<
  Record<SigV4Failure, { readonly code: ErrorCode; readonly message: string }>
> = {
  MISSING_AUTHENTICATION_TOKEN: {
    code: 'FORBIDDEN',
    message: 'The request is not signed, or there is no such route or method.',
  },
  INVALID_SIGNATURE: {
    code: 'INVALID_SIGNATURE',
    message: 'The request signature is invalid: check the signing region and the client clock.',
  },
  EXPIRED_TOKEN: { code: 'CREDENTIALS_EXPIRED', message: 'The credentials have expired: get new ones and retry.' },
};
