/**
 * The fixed names of local mode (`npm start`) that the CLI, the example app's local config and the local stack all
 * need: the local identity pool stands in for a deployed stack's, so callers get guest credentials from it the same way.
 */

/** The identity pool id local mode's Cognito identity stand-in answers to (a real pool id's shape: region:uuid). */
export const LOCAL_IDENTITY_POOL_ID = 'us-east-1:00000000-0000-4000-8000-00000000c0de';

/** The identity stand-in's default port (LOCAL_COGNITO_PORT). */
export const LOCAL_COGNITO_DEFAULT_PORT = 4020;

/** The local API's default port (PORT). */
export const LOCAL_API_DEFAULT_PORT = 3000;
