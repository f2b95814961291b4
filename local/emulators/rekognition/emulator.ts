/**
 * A Rekognition Face Liveness control-plane emulator that the real RekognitionClient talks to through `endpoint`:
 * CreateFaceLivenessSession and GetFaceLivenessSessionResults, and the face-matching operations of an identity check
 * (CompareFaces, collections, IndexFaces, SearchFacesByImage, DeleteFaces, ListFaces) on synthetic people, over AWS
 * JSON 1.1, plus a control endpoint under /_emulator/ (see README.md). Loopback only; close() releases the port and
 * leaves no timers behind.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FACE_LIVENESS_REGIONS } from '../../../contract/regions';
import { handleAwsRequest } from './aws-protocol';
import { SESSION_TTL_SECONDS } from './constraints';
import { CONTROL_PREFIX, handleControlRequest, type ControlTarget } from './control-api';
import { FaultInjector, type FaultSettings } from './faults';
import { closeHttpServer, createLocalServer, listen } from '../../net';
import {
  ControlError,
  DEFAULT_SESSION_DEFAULTS,
  mergeDefaults,
  type DefaultsPatch,
  type SessionDefaults,
} from './outcomes';
import { S3ImageSink, type EmulatorS3Options } from './s3-sink';
import { EmulatedSessionStore, type ImageSink } from './emulated-sessions';
import { FaceCollections } from './collections';
import type { ValidationErrorType } from './validate';

export interface RekognitionEmulatorOptions {
  /** TCP port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Loopback address to bind; anything else is refused. @default '127.0.0.1' */
  readonly host?: string;
  /** Milliseconds since the epoch; inject one to drive the lifecycle in tests. @default Date.now */
  readonly clock?: () => number;
  /** Where images go for sessions created with OutputConfig (the local S3). @default none: OutputConfig is refused */
  readonly s3?: EmulatorS3Options;
  /**
   * Where images go instead of `s3`: e.g. a DirectImageSink into a local S3 in the same process. Face operations read
   * `S3Object` images through its `read`. @default from `s3`
   */
  readonly imageSink?: ImageSink & { destroy(): void };
  /**
   * Defaults for new sessions, merged over the built-in ones (auto-complete after 1.5 s, SUCCEEDED, confidence 95).
   * Same shape as `PUT /_emulator/defaults`.
   */
  readonly defaults?: DefaultsPatch;
  /** Fault injection at start. Same shape as `PUT /_emulator/faults`. @default none */
  readonly faults?: FaultSettings;
  /** Require a SigV4-shaped Authorization header (the signature is not verified). @default true */
  readonly requireSignature?: boolean;
  /** Regions accepted in the credential scope; others get AccessDeniedException. @default FACE_LIVENESS_REGIONS */
  readonly allowedRegions?: readonly string[];
  /**
   * Error name for constraint violations. The reference documents InvalidParameterException; the service's request
   * validator may answer ValidationException instead: set it to test that your error mapping copes.
   * @default 'InvalidParameterException'
   */
  readonly validationErrorType?: ValidationErrorType;
  /** Seconds a session stays readable after its 3-minute expiry before it is forgotten. @default 300 */
  readonly retentionSeconds?: number;
  /** Sessions kept at most; the oldest is forgotten first. @default 10000 */
  readonly maxSessions?: number;
  /**
   * The failure lockouts of a local API using this emulator: `DELETE /_emulator/lockouts` and `POST /_emulator/reset`
   * clear them. @default none
   */
  readonly lockouts?: { clear(): Promise<number> };
}

export interface RekognitionEmulator extends ControlTarget {
  /** Endpoint for RekognitionClient, e.g. `http://127.0.0.1:43121`. */
  readonly url: string;
  readonly port: number;
  /** Base URL of the control endpoint: `${url}/_emulator`. */
  readonly controlUrl: string;
  /**
   * The session directory a streaming emulator (StartFaceLivenessSession) drives: "stream started" and "stream
   * finished" hooks. Never throws: a call that does not apply (unknown or already ended session) returns false.
   * complete() ends the session with its scripted outcome at once and writes the images in the background.
   */
  readonly streamingSessions: StreamingSessionDirectory;
  /** Stops the server (port released, pending latency cut short, S3 client closed). Idempotent. */
  close(): Promise<void>;
}

export interface StreamingSessionDirectory {
  get(sessionId: string): ReturnType<EmulatedSessionStore['streamingView']>;
  markStreaming(sessionId: string): boolean;
  complete(sessionId: string): boolean;
  fail(sessionId: string, reason?: string): boolean;
}

function applies(action: () => unknown): boolean {
  try {
    action();
    return true;
  } catch (err) {
    if (err instanceof ControlError) return false;
    throw err;
  }
}

export async function startRekognitionEmulator(options: RekognitionEmulatorOptions = {}): Promise<RekognitionEmulator> {
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? Date.now;
  const initialDefaults = mergeDefaults(DEFAULT_SESSION_DEFAULTS, options.defaults ?? {});
  let defaults: SessionDefaults = initialDefaults;
  const faults = new FaultInjector();
  const resetFaults = (): void => {
    faults.clear();
    if (options.faults) faults.set(options.faults);
  };
  resetFaults();

  const sink = options.imageSink ?? (options.s3 ? new S3ImageSink(options.s3) : undefined);
  const store = new EmulatedSessionStore({
    clock,
    ttlMs: SESSION_TTL_SECONDS * 1000,
    retentionMs: (options.retentionSeconds ?? 300) * 1000,
    maxSessions: options.maxSessions ?? 10_000,
    ...(sink && { sink }),
  });

  // Latency sleeps are tracked so close() can cut them short instead of leaving timers running.
  const sleepers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const sleeper = {
        timer: setTimeout(() => {
          sleepers.delete(sleeper);
          resolve();
        }, ms),
        resolve,
      };
      sleeper.timer.unref();
      sleepers.add(sleeper);
    });

  const collections = new FaceCollections(clock);
  // S3Object images of the face operations are read where the session images are written.
  const reader = sink?.read ? { read: sink.read.bind(sink) } : undefined;

  const target: ControlTarget = {
    collections: { list: () => collections.views() },
    sessions: {
      list: () => store.list(),
      get: (id) => store.get(id),
      setOutcome: (id, spec) => store.setOutcome(id, spec),
      markStreaming: (id, opts) => store.markStreaming(id, opts),
      hold: (id) => store.hold(id),
      complete: (id, spec) => store.complete(id, spec),
    },
    defaults: {
      get: () => defaults,
      set: (patch) => {
        defaults = mergeDefaults(defaults, patch);
        return defaults;
      },
    },
    faults: {
      get: () => faults.get(),
      set: (settings) => faults.set(settings),
      failNext: (error, opts) => faults.failNext(error, opts),
      clear: () => faults.clear(),
    },
    reset: () => {
      store.clear();
      defaults = initialDefaults;
      resetFaults();
    },
    ...(options.lockouts && { lockouts: options.lockouts }),
  };

  const awsDeps = {
    store,
    faults,
    defaults: () => defaults,
    requireSignature: options.requireSignature ?? true,
    allowedRegions: options.allowedRegions ?? FACE_LIVENESS_REGIONS,
    validationErrorType: options.validationErrorType ?? 'InvalidParameterException',
    sleep,
    face: {
      collections,
      ...(reader && { reader }),
      errorType: options.validationErrorType ?? 'InvalidParameterException',
    },
  };

  const server = createLocalServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const isControl = url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`);
    const work = isControl ? handleControlRequest(req, res, url, target) : handleAwsRequest(req, res, url, awsDeps);
    work.catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });

  let port: number;
  try {
    port = await listen(server, options.port ?? 0, host);
  } catch (err) {
    sink?.destroy();
    throw err;
  }
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;

  return {
    ...target,
    url,
    port,
    controlUrl: `${url}${CONTROL_PREFIX}`,
    streamingSessions: {
      get: (id) => store.streamingView(id),
      markStreaming: (id) => applies(() => store.markStreaming(id)),
      complete: (id) => applies(() => store.completeInBackground(id)),
      fail: (id) => applies(() => store.completeInBackground(id, { status: 'FAILED' })),
    },
    close: () => {
      closing ??= (async () => {
        for (const sleeper of sleepers) {
          clearTimeout(sleeper.timer);
          sleeper.resolve();
        }
        sleepers.clear();
        await closeHttpServer(server);
        sink?.destroy();
      })();
      return closing;
    },
  };
}
