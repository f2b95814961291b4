export { GuestIdentityPool, IdentityPoolError } from './identity-pool';
export type { GuestIdentityPoolOptions, IssuedCredentials } from './identity-pool';
export { startCognitoIdentityStandIn } from './server';
export type { CognitoIdentityStandIn, CognitoIdentityStandInOptions } from './server';
export { verifySigV4, type SigV4Failure, type SigV4Verdict, type SigV4Request } from './verify-sigv4';
