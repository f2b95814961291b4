/**
 * The Content-Security-Policy the example app needs, derived from its liveness-config.json. The local web server
 * sends it, so every local run (and the browser e2e test) proves the app works under it; the README shows the same
 * policy for a deployed host.
 */
import type { LivenessConfigFile } from './config-file';

/** Where FaceLivenessDetector loads its face model and wasm binaries from unless they are self-hosted. */
export const LIVENESS_CDN = 'https://cdn.liveness.rekognition.amazonaws.com';

export interface CspOptions {
  /**
   * A per-response nonce, for a framework that inlines its own scripts (Next.js): scripts must carry it, and what
   * they load is trusted with them ('strict-dynamic'); styles it renders may carry it too.
   */
  readonly nonce?: string;
}

export function contentSecurityPolicy(config: LivenessConfigFile, appOrigin: string, options: CspOptions = {}): string {
  const nonce = options.nonce === undefined ? [] : [`'nonce-${options.nonce}'`];
  const connect = new Set<string>(["'self'"]);
  connect.add(new URL(config.apiUrl, appOrigin).origin);
  // The detector streams video over a presigned WebSocket to the session's region.
  connect.add(`wss://streaming-rekognition.${config.region}.amazonaws.com`);
  if (config.cognitoIdentityEndpoint !== undefined) {
    connect.add(new URL(config.cognitoIdentityEndpoint, appOrigin).origin);
  } else if (config.identityPoolId !== undefined) {
    connect.add(`https://cognito-identity.${config.identityPoolId.split(':')[0]}.amazonaws.com`);
  }
  for (const selfHosted of [config.binaryPath, config.faceModelUrl]) {
    // Unset: the component fetches from AWS's CDN; set: from wherever it points.
    connect.add(selfHosted === undefined ? LIVENESS_CDN : new URL(selfHosted, appOrigin).origin);
  }
  // Verified in headless Chromium with the e2e scenarios: nothing more is needed (no inline styles, blob: or data:).
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    // TensorFlow.js compiles its WebAssembly backend at run time: without this the detector stops with a runtime error.
    'script-src': ["'self'", ...nonce, ...(nonce.length > 0 ? ["'strict-dynamic'"] : []), "'wasm-unsafe-eval'"],
    'style-src': ["'self'", ...nonce],
    'img-src': ["'self'"],
    'connect-src': [...connect].map((origin) => (origin === appOrigin ? "'self'" : origin)).filter(unique),
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

function unique(value: string, index: number, all: string[]): boolean {
  return all.indexOf(value) === index;
}
