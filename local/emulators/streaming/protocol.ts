/**
 * The StartFaceLivenessSession streaming emulator: one state machine per WebSocket connection, independent of the
 * transport. Give it anything that can send bytes, close, and report messages and closure (a Playwright
 * WebSocketRoute, a `ws` socket, a fake in a unit test) and the URL the browser opened.
 *
 *   open ──(valid URL, session usable)──▶ streaming ──(empty VideoChunk)──▶ ended ──(client closes)──▶ closed
 *     └──(unknown / expired / used session, bad URL)──▶ refused      streaming ──(bad frame, fault, early close)──▶ failed
 *
 * It reads the control-plane session through a SessionDirectory (the Rekognition emulator's session store) and moves
 * it on: `markStreaming` when the stream is accepted, `complete` (to its scripted terminal outcome) after the final
 * video chunk, `fail` when the stream breaks.
 */
import type { ChallengeType, SessionStatus } from '../../../contract/liveness-model';
import { SESSION_ID, SESSION_TTL_SECONDS } from '../../../contract/liveness-model';
import {
  CHALLENGE_VERSIONS,
  challengeEvent,
  parseChallengeVersions,
  selectChallenge,
  serverSessionInformation,
} from './challenges';
import {
  decodeClientFrame,
  encodeServerEvent,
  encodeServerException,
  MalformedFrameError,
  type StreamExceptionType,
} from './event-stream';

/** The transport: what the emulator needs from a WebSocket. */
export interface SocketLike {
  send(bytes: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onMessage(handler: (bytes: Uint8Array) => void): void;
  onClose(handler: (code?: number, reason?: string) => void): void;
}

export type ControlPlaneStatus = SessionStatus;

/** What the streaming side needs to know about a control-plane session. */
export interface StreamingSessionView {
  readonly sessionId: string;
  readonly status: ControlPlaneStatus;
  /** Creation time, epoch ms. */
  readonly createdAt: number;
  /** The region the session lives in; a stream to another region's endpoint does not find it. */
  readonly region?: string;
  /** ChallengePreferences types, in order; empty for the service default. */
  readonly challengePreferences?: readonly ChallengeType[];
  /**
   * The version of each challenge the session would run (the control plane chose it from the preferences' Versions);
   * the client must speak that version. @default CHALLENGE_VERSIONS, what the browser component speaks
   */
  readonly challengeVersions?: Readonly<Partial<Record<ChallengeType, string>>>;
}

export interface SessionDirectory {
  get(sessionId: string): StreamingSessionView | undefined;
  /** CREATED -> IN_PROGRESS. */
  markStreaming(sessionId: string): void;
  /** IN_PROGRESS -> the session's scripted terminal outcome (SUCCEEDED with its confidence, or FAILED). */
  complete(sessionId: string): void;
  /** IN_PROGRESS -> FAILED: the stream broke or was abandoned. */
  fail?(sessionId: string, reason: string): void;
}

/** A scripted failure, for exercising the component's error paths. */
export type StreamFault =
  /** Drop the connection (abnormal close code) once this many video chunks have arrived. */
  | { readonly kind: 'close'; readonly afterVideoChunks?: number; readonly code?: number; readonly reason?: string }
  /** Send an exception frame, then close, once this many video chunks have arrived. */
  | {
      readonly kind: 'exception';
      readonly afterVideoChunks?: number;
      readonly exceptionType?: StreamExceptionType;
      readonly message?: string;
    };

export type ConnectionState = 'open' | 'streaming' | 'ended' | 'refused' | 'failed' | 'closed';

/** What happened on one connection, for assertions and logs (never video bytes). */
export interface ConnectionRecord {
  readonly id: number;
  readonly sessionId: string | undefined;
  state: ConnectionState;
  challengeType?: ChallengeType;
  challengeVersion?: string;
  videoChunks: number;
  videoBytes: number;
  clientSessionInformationEvents: number;
  colorsDisplayed: number;
  /** The exception sent, if any. */
  exception?: { type: StreamExceptionType; message: string };
  /** How the socket closed and who closed it. */
  closed?: { by: 'client' | 'server'; code?: number; reason?: string };
}

export interface StreamingEmulatorOptions {
  readonly sessions: SessionDirectory;
  /** Region this endpoint serves; URLs for another region's host are refused. @default the URL's region */
  readonly region?: string;
  /** @default Date.now */
  readonly now?: () => number;
  /**
   * Delay before the first server frames. They must not be sent synchronously from the routing callback: a frame
   * sent before the page has attached its message handler is lost and the component waits at "Connecting…".
   * @default 20
   */
  readonly initialDelayMs?: number;
  /** Called with one line per notable event (never payloads). */
  readonly log?: (line: string) => void;
  /**
   * The credentials that may open a stream (local mode: the identity pool stand-in's): a presigned URL naming any
   * other access key, another session token, or expired credentials is refused. @default any SigV4-shaped URL
   */
  readonly identityPool?: StreamingCredentialSource;
}

/** Where the emulator looks up who a presigned URL's access key belongs to. */
export interface StreamingCredentialSource {
  lookup(accessKeyId: string): { readonly sessionToken: string; readonly expiresAt: number } | undefined;
}

/** Connection records kept for inspection; older ones are dropped so a long-running local server stays small. */
const MAX_RECORDS = 1000;
const WS_NORMAL = 1000;
const WS_INTERNAL_ERROR = 1011;
const PATH = '/start-face-liveness-session-websocket';
const HOST_PATTERN = /^streaming-rekognition(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com$/;
const EBML_MAGIC = [0x1a, 0x45, 0xdf, 0xa3];

export class StreamingEmulator {
  /** The most recent connections, oldest first. */
  readonly connections: ConnectionRecord[] = [];
  private accepted = 0;
  private readonly now: () => number;
  private readonly initialDelayMs: number;
  private nextFault: StreamFault | undefined;
  private readonly sessionFaults = new Map<string, StreamFault>();
  private readonly live = new Set<LivenessConnection>();

  constructor(private readonly options: StreamingEmulatorOptions) {
    this.now = options.now ?? Date.now;
    this.initialDelayMs = options.initialDelayMs ?? 20;
  }

  /** Scripts a fault for one session, or (without a session id) for the next connection accepted. */
  injectFault(fault: StreamFault, sessionId?: string): void {
    if (sessionId === undefined) this.nextFault = fault;
    else this.sessionFaults.set(sessionId, fault);
  }

  clearFaults(): void {
    this.nextFault = undefined;
    this.sessionFaults.clear();
  }

  /** Handles one WebSocket the browser opened to `url`. */
  accept(socket: SocketLike, url: string): ConnectionRecord {
    const record: ConnectionRecord = {
      id: ++this.accepted,
      sessionId: safeUrl(url)?.searchParams.get('session-id') ?? undefined,
      state: 'open',
      videoChunks: 0,
      videoBytes: 0,
      clientSessionInformationEvents: 0,
      colorsDisplayed: 0,
    };
    this.connections.push(record);
    if (this.connections.length > MAX_RECORDS) this.connections.shift();
    const connection = new LivenessConnection(socket, url, record, this.options, this.now, this.initialDelayMs, () =>
      this.takeFault(record),
    );
    this.live.add(connection);
    connection.onFinished(() => this.live.delete(connection));
    connection.start();
    return record;
  }

  /** Closes every open connection (e.g. at test teardown). */
  closeAll(): void {
    for (const connection of [...this.live]) connection.shutdown();
  }

  private takeFault(record: ConnectionRecord): StreamFault | undefined {
    if (record.sessionId !== undefined && this.sessionFaults.has(record.sessionId)) {
      const fault = this.sessionFaults.get(record.sessionId);
      this.sessionFaults.delete(record.sessionId);
      return fault;
    }
    const fault = this.nextFault;
    this.nextFault = undefined;
    return fault;
  }
}

class LivenessConnection {
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private fault: StreamFault | undefined;
  private finishedListeners: (() => void)[] = [];
  private sawTargetFace = false;
  private videoTimestamp = 0;

  constructor(
    private readonly socket: SocketLike,
    private readonly url: string,
    private readonly record: ConnectionRecord,
    private readonly options: StreamingEmulatorOptions,
    private readonly now: () => number,
    private readonly initialDelayMs: number,
    private readonly takeFault: () => StreamFault | undefined,
  ) {}

  onFinished(listener: () => void): void {
    this.finishedListeners.push(listener);
  }

  start(): void {
    this.socket.onMessage((bytes) => this.onMessage(bytes));
    this.socket.onClose((code, reason) => this.onClientClose(code, reason));
    // Everything, refusals included, is answered asynchronously (see StreamingEmulatorOptions.initialDelayMs).
    this.later(this.initialDelayMs, () => this.open());
  }

  /** Server-side shutdown: closes the socket if it is still open. */
  shutdown(): void {
    if (this.isOver()) return;
    this.failSession('The endpoint shut down');
    if (this.record.state !== 'ended') this.record.state = 'failed';
    this.closeSocket(1001, 'Going away');
  }

  private open(): void {
    const refusal = this.checkRequest();
    if (refusal) {
      this.refuse(refusal.type, refusal.message);
      return;
    }
    const sessionId = this.record.sessionId!;
    const session = this.options.sessions.get(sessionId)!;
    const url = new URL(this.url);
    const versions = { ...CHALLENGE_VERSIONS, ...session.challengeVersions };
    const challenge = selectChallenge(
      session.challengePreferences ?? [],
      parseChallengeVersions(url.searchParams.get('challenge-versions'), versions),
    );
    if (!challenge) {
      this.refuse('ValidationException', 'The client supports none of the challenge versions this session allows');
      return;
    }
    this.record.challengeType = challenge;
    this.record.challengeVersion = versions[challenge];
    try {
      this.options.sessions.markStreaming(sessionId);
    } catch {
      this.refuse('ValidationException', `Session ${sessionId} cannot be started`);
      return;
    }
    this.fault = this.takeFault();
    this.record.state = 'streaming';
    this.log(`session ${sessionId}: streaming ${challenge}${this.fault ? ` (fault: ${this.fault.kind})` : ''}`);
    const width = Number(url.searchParams.get('video-width'));
    const height = Number(url.searchParams.get('video-height'));
    this.send(encodeServerEvent('ServerSessionInformationEvent', serverSessionInformation(challenge, width, height)));
    this.send(encodeServerEvent('ChallengeEvent', challengeEvent(challenge, versions[challenge])));
    this.maybeFault();
  }

  /** Checks the URL and the session the way the service would; returns the refusal, if any. */
  private checkRequest(): { type: StreamExceptionType; message: string } | undefined {
    const url = safeUrl(this.url);
    if (!url || url.pathname !== PATH) return { type: 'ValidationException', message: 'Unknown streaming path' };
    const hostRegion = HOST_PATTERN.exec(url.hostname)?.[1];
    if (!hostRegion) return { type: 'ValidationException', message: `Unknown streaming host ${url.hostname}` };
    const q = url.searchParams;
    for (const name of [
      'X-Amz-Algorithm',
      'X-Amz-Credential',
      'X-Amz-Date',
      'X-Amz-Signature',
      'X-Amz-SignedHeaders',
    ]) {
      if (!q.get(name)) return { type: 'InvalidSignatureException', message: `Missing ${name} in the presigned URL` };
    }
    const scope = q.get('X-Amz-Credential')!.split('/');
    if (scope.length !== 5 || scope[3] !== 'rekognition' || scope[4] !== 'aws4_request') {
      return { type: 'InvalidSignatureException', message: 'Credential should be scoped to the rekognition service' };
    }
    const signedAt = parseAmzDate(q.get('X-Amz-Date')!);
    const expiresIn = Number(q.get('X-Amz-Expires') ?? '300');
    if (signedAt === undefined || !(expiresIn > 0)) {
      return {
        type: 'InvalidSignatureException',
        message: 'X-Amz-Date and X-Amz-Expires must describe the signature’s validity',
      };
    }
    if (this.now() > signedAt + expiresIn * 1000) {
      return { type: 'InvalidSignatureException', message: 'Signature expired' };
    }
    if (this.options.identityPool) {
      const issued = this.options.identityPool.lookup(scope[0]!);
      if (issued === undefined || q.get('X-Amz-Security-Token') !== issued.sessionToken) {
        return { type: 'InvalidSignatureException', message: 'The security token included in the request is invalid.' };
      }
      if (this.now() >= issued.expiresAt) {
        return { type: 'InvalidSignatureException', message: 'The security token included in the request is expired' };
      }
    }
    if (scope[2] !== hostRegion) {
      // The real service's wording; FaceLivenessDetector recognises it as a region problem.
      return { type: 'InvalidSignatureException', message: 'Credential should be scoped to a valid region.' };
    }
    if (this.options.region !== undefined && hostRegion !== this.options.region) {
      return { type: 'SessionNotFoundException', message: `Session not found in ${hostRegion}` };
    }
    const sessionId = q.get('session-id');
    if (!sessionId || !SESSION_ID.pattern.test(sessionId)) {
      return {
        type: 'ValidationException',
        message: 'session-id must be a session id returned by CreateFaceLivenessSession',
      };
    }
    for (const name of ['video-width', 'video-height']) {
      const value = Number(q.get(name));
      if (!Number.isInteger(value) || value <= 0)
        return { type: 'ValidationException', message: `${name} must be a positive integer` };
    }
    const session = this.options.sessions.get(sessionId);
    if (!session || (session.region !== undefined && session.region !== hostRegion)) {
      return { type: 'SessionNotFoundException', message: `Session ${sessionId} not found` };
    }
    if (session.status === 'EXPIRED' || this.now() >= session.createdAt + SESSION_TTL_SECONDS * 1000) {
      return { type: 'SessionNotFoundException', message: `Session ${sessionId} has expired` };
    }
    if (session.status !== 'CREATED') {
      return { type: 'ValidationException', message: `Session ${sessionId} has already been used` };
    }
    return undefined;
  }

  private onMessage(bytes: Uint8Array): void {
    if (this.record.state !== 'streaming') return; // frames after the end (or before the start) are ignored
    let event;
    try {
      event = decodeClientFrame(bytes);
    } catch (err) {
      const message = err instanceof MalformedFrameError ? err.message : 'Malformed frame';
      this.failStream('ValidationException', message);
      return;
    }
    if (event.eventType === 'ClientSessionInformationEvent') {
      this.onClientSessionInformation(event.payload);
    } else {
      this.onVideoEvent(event.payload);
    }
  }

  private onClientSessionInformation(payload: Record<string, unknown>): void {
    const challenge = (payload.Challenge ?? {}) as Record<string, Record<string, unknown> | undefined>;
    const info = challenge[this.record.challengeType!];
    if (!info || typeof info.ChallengeId !== 'string') {
      this.failStream(
        'ValidationException',
        `ClientSessionInformationEvent must describe the ${this.record.challengeType} challenge`,
      );
      return;
    }
    this.record.clientSessionInformationEvents += 1;
    if (info.ColorDisplayed) this.record.colorsDisplayed += 1;
    if (info.TargetFace) this.sawTargetFace = true;
  }

  private onVideoEvent(payload: Record<string, unknown>): void {
    const { VideoChunk, TimestampMillis } = payload;
    if (VideoChunk !== undefined && typeof VideoChunk !== 'string') {
      this.failStream('ValidationException', 'VideoChunk must be base64 bytes');
      return;
    }
    if (typeof TimestampMillis !== 'number' || TimestampMillis < this.videoTimestamp) {
      this.failStream('ValidationException', 'TimestampMillis must be a non-decreasing epoch time');
      return;
    }
    this.videoTimestamp = TimestampMillis;
    const chunk = Buffer.from(VideoChunk ?? '', 'base64');
    if (chunk.length === 0) {
      this.onFinalChunk();
      return;
    }
    if (this.record.videoChunks === 0 && !EBML_MAGIC.every((b, i) => chunk[i] === b)) {
      this.failStream('ValidationException', 'The video is not a WebM stream');
      return;
    }
    this.record.videoChunks += 1;
    this.record.videoBytes += chunk.length;
    this.maybeFault();
  }

  private onFinalChunk(): void {
    const sessionId = this.record.sessionId!;
    if (this.record.videoChunks === 0 || !this.sawTargetFace) {
      this.failStream('ValidationException', 'The stream ended before the challenge was complete');
      return;
    }
    this.record.state = 'ended';
    this.options.sessions.complete(sessionId);
    this.log(`session ${sessionId}: ended after ${this.record.videoChunks} video chunks`);
    this.send(encodeServerEvent('DisconnectionEvent', { TimestampMillis: this.now() }));
    // The browser closes the socket once it has read the DisconnectionEvent.
  }

  private maybeFault(): void {
    const fault = this.fault;
    if (!fault || this.record.videoChunks < (fault.afterVideoChunks ?? 0)) return;
    this.fault = undefined;
    if (fault.kind === 'close') {
      this.failSession('Scripted fault: connection dropped');
      this.record.state = 'failed';
      this.log(`session ${this.record.sessionId}: scripted fault, dropping the connection`);
      this.closeSocket(fault.code ?? WS_INTERNAL_ERROR, fault.reason ?? 'Internal error');
    } else {
      this.failStream(fault.exceptionType ?? 'InternalServerException', fault.message ?? 'Internal server error');
    }
  }

  private onClientClose(code?: number, reason?: string): void {
    if (this.isOver() && this.record.closed) return;
    this.record.closed = { by: 'client', code, reason };
    if (this.record.state === 'streaming' || this.record.state === 'open') {
      // 4001 face-fit timeout, 4003 cancel, 4005 runtime error, 4007 user error: the attempt is over.
      this.failSession(`The client closed the stream (code ${String(code)})`);
      this.record.state = 'failed';
      this.log(`session ${String(this.record.sessionId)}: client closed the stream early (code ${String(code)})`);
    } else if (this.record.state === 'ended') {
      this.record.state = 'closed';
    }
    this.finish();
  }

  private refuse(type: StreamExceptionType, message: string): void {
    this.record.state = 'refused';
    this.log(`refused ${String(this.record.sessionId)}: ${type}: ${message}`);
    this.sendException(type, message);
  }

  private failStream(type: StreamExceptionType, message: string): void {
    this.failSession(message);
    this.record.state = 'failed';
    this.log(`session ${String(this.record.sessionId)}: ${type}: ${message}`);
    this.sendException(type, message);
  }

  /** An exception frame, then a normal close shortly after, so the client reads the exception before the closure. */
  private sendException(type: StreamExceptionType, message: string): void {
    this.record.exception = { type, message };
    this.send(encodeServerException(type, message));
    this.later(50, () => this.closeSocket(WS_NORMAL, type));
  }

  private failSession(reason: string): void {
    const sessionId = this.record.sessionId;
    if (sessionId !== undefined && this.record.state === 'streaming') this.options.sessions.fail?.(sessionId, reason);
  }

  private send(bytes: Uint8Array): void {
    if (this.record.closed) return;
    this.socket.send(bytes);
  }

  private closeSocket(code: number, reason: string): void {
    if (this.record.closed) return;
    this.record.closed = { by: 'server', code, reason };
    if (this.record.state === 'ended') this.record.state = 'closed';
    this.socket.close(code, reason);
    this.finish();
  }

  private isOver(): boolean {
    return this.record.state === 'refused' || this.record.state === 'failed' || this.record.state === 'closed';
  }

  private finish(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const listeners = this.finishedListeners;
    this.finishedListeners = [];
    for (const listener of listeners) listener();
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private log(line: string): void {
    this.options.log?.(`[streaming #${this.record.id}] ${line}`);
  }
}

/** `20261121T120000Z` -> epoch ms. */
function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m
    ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]))
    : undefined;
}

function safeUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
