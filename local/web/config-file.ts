/**
 * The shape of web/'s runtime configuration file, liveness-config.json (web/src/config.ts reads and checks it in the
 * browser; this is the writer's side).
 */
export interface LivenessConfigFile {
  readonly region: string;
  readonly apiUrl: string;
  readonly identityPoolId?: string;
  /** The Cognito identity service endpoint (local mode: the identity stand-in). @default the region's */
  readonly cognitoIdentityEndpoint?: string;
  readonly authMode: 'iam' | 'cognito' | 'none';
  /** TensorFlow.js wasm binaries, a URL ending in `/`; relative URLs resolve against the config file. */
  readonly binaryPath?: string;
  /** The face detection model's model.json; relative URLs resolve against the config file. */
  readonly faceModelUrl?: string;
  /** The challenge to ask for. @default the backend's and Rekognition's default (FaceMovementAndLightChallenge) */
  readonly challenge?: 'FaceMovementAndLightChallenge' | 'FaceMovementChallenge';
  /** Local mode: the detector streams to the streaming emulator on the app's origin (localStreamingEndpoint). */
  readonly local?: boolean;
  /**
   * Local mode only: the same-origin WebSocket endpoint the app redirects the detector's streaming connection to
   * (the streaming emulator, local/emulators/streaming/ws-server.ts). Relative to the config file.
   */
  readonly localStreamingEndpoint?: string;
}

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
    ...(options.challenge !== undefined && { challenge: options.challenge }),
  };
}
