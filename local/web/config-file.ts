import type { FrontendConfig } from '../../contract/frontend-config';

/** The shape of web/'s runtime configuration file, liveness-config.json: the contract's (contract/frontend-config.ts). */
export type LivenessConfigFile = FrontendConfig;

/**
 * The configuration of a local run: the local API, the local identity pool stand-in (signed calls, authMode 'iam',
 * as deployed), the wasm binaries the app ships.
 */
export function localConfig(options: {
  apiUrl: string;
  region: string;
  identityPoolId: string;
  cognitoIdentityEndpoint: string;
  faceModelUrl?: string;
  localStreamingEndpoint?: string;
  /** The demo app backend's path on the app's origin (local/web/demo-backend.ts), when the server runs it. */
  demoBackend?: string;
  challenge?: LivenessConfigFile['challenge'];
}): LivenessConfigFile {
  return {
    region: options.region,
    apiUrl: options.apiUrl,
    identityPoolId: options.identityPoolId,
    cognitoIdentityEndpoint: options.cognitoIdentityEndpoint,
    authMode: 'iam',
    local: true,
    binaryPath: 'tfjs-wasm/',
    ...(options.faceModelUrl !== undefined && { faceModelUrl: options.faceModelUrl }),
    ...(options.localStreamingEndpoint !== undefined && { localStreamingEndpoint: options.localStreamingEndpoint }),
    ...(options.demoBackend !== undefined && { demoBackend: options.demoBackend }),
    ...(options.challenge !== undefined && { challenge: options.challenge }),
  };
}
