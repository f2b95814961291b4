import type { FrontendConfig } from '../../contract/frontend-config';

/** The shape of web/'s runtime configuration file, liveness-config.json: the contract's (contract/frontend-config.ts). */
export type LivenessConfigFile = FrontendConfig;

/** The configuration of a local run: the local API, no auth, the wasm binaries the app ships. */
export function localConfig(options: {
  apiUrl: string;
  region: string;
  faceModelUrl?: string;
  localStreamingEndpoint?: string;
  challenge?: LivenessConfigFile['challenge'];
}): LivenessConfigFile {
  return {
    region: options.region,
    apiUrl: options.apiUrl,
    authMode: 'none',
    local: true,
    binaryPath: 'tfjs-wasm/',
    ...(options.faceModelUrl !== undefined && { faceModelUrl: options.faceModelUrl }),
    ...(options.localStreamingEndpoint !== undefined && { localStreamingEndpoint: options.localStreamingEndpoint }),
    ...(options.challenge !== undefined && { challenge: options.challenge }),
  };
}
