/**
 * The web app's runtime configuration file, liveness-config.json: one shape for its writers
 * (`face-liveness config`, cli/frontend-config.ts, from a deployment's outputs, local/web/config-file.ts in local mode) and its reader
 * (web/src/config.ts, which checks it in the browser).
 */
import type { ChallengeType } from './liveness-model';
import type { AuthMode } from './setting-rules';

/** Its file name, next to the app. */
export const FRONTEND_CONFIG_FILE = 'liveness-config.json';

export interface FrontendConfig {
  /** The backend's region: the detector and the credential provider must use it (the session names the same one). */
  readonly region: string;
  /** The API's base URL, stage included, without a trailing slash (route paths start with one). */
  readonly apiUrl: string;
  /** Cognito identity pool: guest credentials for streaming (and for signing API calls with authMode 'iam'). */
  readonly identityPoolId?: string;
  /**
   * The Cognito identity service to get them from: local mode's stand-in (`npm start`), or a private endpoint.
   * @default the region's public endpoint, `https://cognito-identity.{region}.amazonaws.com/`
   */
  readonly cognitoIdentityEndpoint?: string;
  readonly authMode: AuthMode;
  /** Self-hosted TensorFlow.js wasm binaries: a URL (absolute, or relative to the config file) ending in `/`. */
  readonly binaryPath?: string;
  /** Self-hosted face detection model: the URL of its `model.json` (absolute, or relative to the config file). */
  readonly faceModelUrl?: string;
  /**
   * The challenge to ask for. FaceMovementChallenge is faster and flashes no colours; FaceMovementAndLightChallenge
   * (Rekognition's default) is the most accurate. @default the backend's and Rekognition's default
   */
  readonly challenge?: ChallengeType;
  /**
   * Local mode only (set by the local web server): the detector's WebSocket goes to the streaming emulator on the app's
   * origin (localStreamingEndpoint) instead of AWS. Credentials and signing are the same as deployed.
   */
  readonly local?: boolean;
  /**
   * Local mode only: the same-origin WebSocket endpoint the app redirects the detector's streaming connection to
   * (the streaming emulator). Relative to the config file.
   */
  readonly localStreamingEndpoint?: string;
}

/** What a deployed stack's outputs give (cli/frontend-config.ts): the fields a deployment always has. */
export type DeployedFrontendConfig = Required<
  Pick<FrontendConfig, 'region' | 'apiUrl' | 'identityPoolId' | 'authMode'>
>;
