/**
 * The example app in local mode (`npm start`): web/dist served with a config pointing at the local API, and the
 * streaming emulator on a same-origin WebSocket so the detector works in a real browser with a real camera, offline.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RekognitionEmulator } from '../emulators/rekognition';
import type { GuestIdentityPool } from '../emulators/cognito-identity';
import { LOCAL_STREAMING_PATH, StreamingEmulator, sessionDirectoryFor } from '../emulators/streaming';
import { localConfig, type LivenessConfigFile } from './config-file';
import { DEMO_BACKEND_PREFIX } from './demo-backend';
import { startWebServer, type WebServer } from './server';

const ROOT = join(__dirname, '..', '..');

export interface LocalWebAppOptions {
  /** The running local stack (local/stack.ts). */
  readonly stack: {
    readonly api: { readonly url: string };
    readonly emulator: Pick<RekognitionEmulator, 'sessions'>;
    readonly identity: { readonly url: string; readonly pool: GuestIdentityPool };
  };
  /** The stack's region (LOCAL_REGION). */
  readonly region: string;
  /** @default 5173: `http://localhost:5173` is the origin the backend's default CORS setting allows */
  readonly port?: number;
  /** @default web/dist */
  readonly distDir?: string;
  /**
   * A face detection model (model.json + weights) to serve, since AWS's CDN copy is out of reach offline.
   * @default .cache/e2e/face-model when present (test/e2e/setup.sh fetches it)
   */
  readonly faceModelDir?: string;
  /** The challenge the app asks for. @default Rekognition's default (FaceMovementAndLightChallenge) */
  readonly challenge?: LivenessConfigFile['challenge'];
  /**
   * Serve the demo app backend (local/web/demo-backend.ts) for the example's identity flows; `false` when the stack runs
   * without identity verification. @default on
   */
  readonly demoBackend?: false;
  readonly log?: (line: string) => void;
}

export interface LocalWebApp {
  /** Open this in a browser: localhost, the origin the backend's default CORS setting allows. */
  readonly url: string;
  readonly server: WebServer;
  readonly streaming: StreamingEmulator;
  /** Whether a face model is served; without one the detector needs AWS's CDN. */
  readonly faceModel: boolean;
  close(): Promise<void>;
}

export async function startLocalWebApp(options: LocalWebAppOptions): Promise<LocalWebApp> {
  const distDir = options.distDir ?? join(ROOT, 'web', 'dist');
  if (!existsSync(join(distDir, 'index.html'))) {
    throw new Error(
      `The example app is not built (${distDir}): run \`npm ci --prefix web && npm run build --prefix web\`.`,
    );
  }
  const modelDir = options.faceModelDir ?? join(ROOT, '.cache', 'e2e', 'face-model');
  const faceModel = existsSync(join(modelDir, 'model.json'));
  const streaming = new StreamingEmulator({
    sessions: sessionDirectoryFor(options.stack.emulator, options.region),
    region: options.region,
    // Read at each connection: a caller may hand over a stack that is still starting (see test/e2e/harness.ts).
    identityPool: { lookup: (accessKeyId) => options.stack.identity.pool.lookup(accessKeyId) },
    ...(options.log && { log: options.log }),
  });
  const server = await startWebServer({
    distDir,
    port: options.port ?? 5173,
    streaming,
    // Identity verification's app backend, played by this server for the example (the browser never opens checks).
    ...(options.demoBackend !== false && {
      demoBackend: { apiUrl: () => options.stack.api.url, region: options.region },
    }),
    ...(faceModel && { mounts: { '/face-model/': modelDir } }),
    config: () =>
      localConfig({
        apiUrl: options.stack.api.url,
        region: options.region,
        identityPoolId: options.stack.identity.pool.identityPoolId,
        cognitoIdentityEndpoint: options.stack.identity.url,
        localStreamingEndpoint: LOCAL_STREAMING_PATH.slice(1),
        ...(options.demoBackend !== false && { demoBackend: DEMO_BACKEND_PREFIX.slice(1) }),
        ...(faceModel && { faceModelUrl: 'face-model/model.json' }),
        ...(options.challenge !== undefined && { challenge: options.challenge }),
      }),
  });
  return {
    url: `http://localhost:${server.port}`,
    server,
    streaming,
    faceModel,
    close: async () => {
      streaming.closeAll();
      await server.close();
    },
  };
}
