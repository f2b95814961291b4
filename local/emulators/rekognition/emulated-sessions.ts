/**
 * Face Liveness sessions and their lifecycle. State is derived from the injected clock whenever a session is read, so
 * there are no timers: CREATED -> IN_PROGRESS -> SUCCEEDED | FAILED, or EXPIRED once SESSION_TTL_SECONDS have passed
 * without a terminal status. A session (whatever its status) is answered until `retentionMs` after its expiry time and
 * is then forgotten (SessionNotFoundException), modelling "all data is gone after expiry" with a grace period.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from './service-errors';
import { emulatedImage, type BoundingBox, type CameraPerson } from './images';
import {
  ControlError,
  FEEDBACK_MESSAGES,
  resolveOutcome,
  type OutcomeSpec,
  type OutcomeStatus,
  type ResolvedOutcome,
  type SessionDefaults,
} from './outcomes';
import type { ChallengeChoice, CreateSessionInput } from './validate';

/** Where images go when the session was created with OutputConfig. */
export interface ImageSink {
  /** Throws AwsError (AccessDeniedException) when the bucket cannot be written. */
  assertWritable(bucket: string): Promise<void>;
  put(bucket: string, key: string, body: Uint8Array, kmsKeyId: string | undefined): Promise<void>;
  /** An object's bytes, for a face operation's `Image.S3Object`; undefined when the bucket or key does not exist. */
  read?(bucket: string, key: string): Promise<Uint8Array | undefined>;
}

/** Object keys of a session's images. AWS generates its own keys: callers must read `S3Object.Name`, never build it. */
export function imageKeys(
  keyPrefix: string,
  sessionId: string,
  auditCount: number,
): { reference: string; audit: string[] } {
  const base = `${keyPrefix}${sessionId}/`;
  return {
    reference: `${base}reference.jpg`,
    audit: Array.from({ length: auditCount }, (_, i) => `${base}audit_${i + 1}.jpg`),
  };
}

export type SessionStatusValue = 'CREATED' | 'IN_PROGRESS' | OutcomeStatus;

type StoredImage = { readonly boundingBox: BoundingBox } & (
  | { readonly s3: { readonly bucket: string; readonly key: string } }
  | { readonly bytes: Uint8Array }
);

interface Result {
  readonly status: OutcomeStatus;
  readonly completedAt: number;
  readonly outcome: ResolvedOutcome;
}

interface Session {
  readonly id: string;
  readonly createdAt: number;
  /** Region of the CreateFaceLivenessSession call (its SigV4 scope), when known. */
  readonly region?: string;
  readonly input: CreateSessionInput;
  readonly defaults: SessionDefaults;
  scripted?: OutcomeSpec;
  /** Set once a streaming client (or the control API) took over: no auto start/complete afterwards. */
  manual: boolean;
  startedAt?: number;
  sdkType?: string;
  result?: Result;
  images?: { reference?: StoredImage; audit: StoredImage[] };
  imagesPending?: Promise<void>;
}

export interface SessionStoreOptions {
  readonly clock: () => number;
  readonly ttlMs: number;
  readonly retentionMs: number;
  readonly maxSessions: number;
  readonly sink?: ImageSink;
}

/** What the control side shows of a session (no image bytes). */
export interface SessionView {
  readonly sessionId: string;
  readonly status: SessionStatusValue;
  readonly createdAt: string;
  readonly region?: string;
  readonly expiresAt: string;
  readonly forgottenAt: string;
  readonly clientRequestToken?: string;
  readonly kmsKeyId?: string;
  readonly outputConfig?: { readonly bucket: string; readonly keyPrefix: string };
  readonly auditImagesLimit: number;
  readonly challenge: ChallengeChoice;
  readonly autoComplete: boolean;
  readonly streaming: boolean;
  readonly startedAt?: string;
  readonly scriptedOutcome?: OutcomeSpec;
  readonly result?: { readonly status: OutcomeStatus; readonly completedAt: string; readonly outcome: ResolvedOutcome };
  readonly images?: {
    readonly reference?: { bucket: string; key: string } | { bytes: number };
    readonly audit: ReadonlyArray<{ bucket: string; key: string } | { bytes: number }>;
  };
}

export class EmulatedSessionStore {
  private readonly sessions = new Map<string, Session>();
  /** Whether the map's (insertion) order is also createdAt order, as long as the clock never went back. */
  private createdInOrder = true;
  private lastCreatedAt = Number.NEGATIVE_INFINITY;
  private readonly tokens = new Map<string, string>();

  constructor(private readonly options: SessionStoreOptions) {}

  /** Creates a session, or returns the one created earlier with the same ClientRequestToken. */
  async create(
    input: CreateSessionInput,
    defaults: SessionDefaults,
    region?: string,
  ): Promise<{ sessionId: string; created: boolean }> {
    this.prune();
    const existing = (): string | undefined => {
      const id = input.clientRequestToken === undefined ? undefined : this.tokens.get(input.clientRequestToken);
      return id !== undefined && this.sessions.has(id) ? id : undefined;
    };
    const earlier = existing();
    if (earlier !== undefined) return { sessionId: earlier, created: false };
    if (input.outputConfig) {
      if (!this.options.sink) {
        throw new AwsError(
          'AccessDeniedException',
          `Cannot write to S3 bucket ${input.outputConfig.bucket}: the emulator was started without an S3 endpoint`,
        );
      }
      await this.options.sink.assertWritable(input.outputConfig.bucket);
      // A concurrent call with the same token may have created the session meanwhile.
      const meanwhile = existing();
      if (meanwhile !== undefined) return { sessionId: meanwhile, created: false };
    }
    if (this.sessions.size >= this.options.maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.forget(oldest);
    }
    const session: Session = {
      id: randomUUID(),
      createdAt: this.options.clock(),
      ...(region !== undefined && { region }),
      input,
      defaults,
      manual: false,
    };
    if (session.createdAt < this.lastCreatedAt) this.createdInOrder = false;
    this.lastCreatedAt = session.createdAt;
    this.sessions.set(session.id, session);
    if (input.clientRequestToken !== undefined) this.tokens.set(input.clientRequestToken, session.id);
    return { sessionId: session.id, created: true };
  }

  /** GetFaceLivenessSessionResults: the AWS JSON response body. */
  async results(sessionId: string): Promise<Record<string, unknown>> {
    const session = this.find(sessionId);
    if (!session) {
      throw new AwsError('SessionNotFoundException', `Session not found: ${sessionId}`);
    }
    this.advance(session);
    await this.ensureImages(session);
    return this.toAwsResponse(session);
  }

  /**
   * Keeps a still-CREATED session waiting for a streaming client: it no longer starts or completes by itself. Local
   * mode holds the sessions a browser creates, so the ones the CLI creates can still finish on their own.
   */
  hold(sessionId: string): SessionView {
    const session = this.open(sessionId);
    this.advance(session);
    if (session.startedAt !== undefined || session.result !== undefined) {
      throw new ControlError(409, `Session ${sessionId} already started; only a CREATED session can be held`);
    }
    session.manual = true;
    return this.view(session);
  }

  /** A streaming client started: the session turns IN_PROGRESS and waits for complete(). */
  markStreaming(sessionId: string, options: { sdkType?: string } = {}): SessionView {
    const session = this.open(sessionId);
    session.manual = true;
    session.startedAt ??= this.options.clock();
    if (options.sdkType !== undefined) session.sdkType = options.sdkType;
    return this.view(session);
  }

  /** Scripts how the session will end (applied when it completes, by itself or through complete()). */
  setOutcome(sessionId: string, spec: OutcomeSpec): SessionView {
    const session = this.open(sessionId);
    session.scripted = spec;
    return this.view(session);
  }

  /** Ends the session now with `spec` (over its scripted outcome and defaults) and writes its images. */
  async complete(sessionId: string, spec?: OutcomeSpec): Promise<SessionView> {
    const session = this.finishNow(sessionId, spec);
    await this.ensureImages(session);
    return this.view(session);
  }

  /**
   * complete() for callers that cannot wait: the status changes at once and the images are written in the background;
   * should that fail, the next GetFaceLivenessSessionResults tries again and reports the failure as the service would.
   */
  completeInBackground(sessionId: string, spec?: OutcomeSpec): SessionView {
    const session = this.finishNow(sessionId, spec);
    this.ensureImages(session).catch(() => undefined);
    return this.view(session);
  }

  private finishNow(sessionId: string, spec?: OutcomeSpec): Session {
    const session = this.open(sessionId);
    session.manual = true;
    this.finish(session, this.options.clock(), spec);
    return session;
  }

  /** What a streaming emulator needs to know about a session (undefined once forgotten). */
  streamingView(sessionId: string):
    | {
        sessionId: string;
        status: SessionStatusValue;
        createdAt: number;
        region?: string;
        challengePreferences: readonly ChallengeChoice['Type'][];
      }
    | undefined {
    const session = this.find(sessionId);
    if (!session) return undefined;
    this.advance(session);
    return {
      sessionId: session.id,
      status: this.status(session),
      createdAt: session.createdAt,
      ...(session.region !== undefined && { region: session.region }),
      challengePreferences: session.input.challengePreferences,
    };
  }

  get(sessionId: string): SessionView | undefined {
    const session = this.find(sessionId);
    if (!session) return undefined;
    this.advance(session);
    return this.view(session);
  }

  list(): SessionView[] {
    this.prune();
    return [...this.sessions.values()].map((session) => {
      this.advance(session);
      return this.view(session);
    });
  }

  clear(): void {
    this.sessions.clear();
    this.tokens.clear();
    this.createdInOrder = true;
    this.lastCreatedAt = Number.NEGATIVE_INFINITY;
  }

  /** A session that exists and has not ended, else a ControlError. */
  private open(sessionId: string): Session {
    const session = this.find(sessionId);
    if (!session) throw new ControlError(404, `Session not found: ${sessionId}`);
    this.advance(session);
    if (session.result) {
      throw new ControlError(409, `Session ${sessionId} already ended with status ${session.result.status}`);
    }
    return session;
  }

  private find(sessionId: string): Session | undefined {
    this.prune();
    return this.sessions.get(sessionId);
  }

  private forget(sessionId: string): void {
    const token = this.sessions.get(sessionId)?.input.clientRequestToken;
    if (token !== undefined && this.tokens.get(token) === sessionId) this.tokens.delete(token);
    this.sessions.delete(sessionId);
  }

  private prune(): void {
    const now = this.options.clock();
    for (const session of this.sessions.values()) {
      if (now >= session.createdAt + this.options.ttlMs + this.options.retentionMs) this.forget(session.id);
      // Oldest first: the first one still kept means all later ones are kept (one look per call, not one per session).
      else if (this.createdInOrder) return;
    }
  }

  /** Brings a session's state up to the clock. */
  private advance(session: Session): void {
    if (session.result) return;
    const now = this.options.clock();
    const expiresAt = session.createdAt + this.options.ttlMs;
    const auto = !session.manual && session.defaults.autoComplete;
    if (auto) {
      const completeAt = session.createdAt + session.defaults.completeAfterMs;
      if (completeAt < expiresAt && now >= completeAt) {
        session.startedAt ??= session.createdAt + session.defaults.startAfterMs;
        this.finish(session, completeAt);
        return;
      }
    }
    if (now >= expiresAt) {
      session.result = { status: 'EXPIRED', completedAt: expiresAt, outcome: this.outcomeOf(session) };
      return;
    }
    const startAt = session.createdAt + session.defaults.startAfterMs;
    if (auto && session.startedAt === undefined && now >= startAt) session.startedAt = startAt;
  }

  private outcomeOf(session: Session, spec?: OutcomeSpec): ResolvedOutcome {
    return resolveOutcome(spec, resolveOutcome(session.scripted, session.defaults.outcome));
  }

  private finish(session: Session, at: number, spec?: OutcomeSpec): void {
    const outcome = this.outcomeOf(session, spec);
    if (outcome.status !== 'EXPIRED') session.startedAt ??= at;
    if (outcome.sdkType !== undefined) session.sdkType = outcome.sdkType;
    session.result = { status: outcome.status, completedAt: at, outcome };
  }

  /** Produces the images of a SUCCEEDED session once: into S3 with OutputConfig, else kept as bytes. */
  private async ensureImages(session: Session): Promise<void> {
    if (session.images || session.result?.status !== 'SUCCEEDED') return;
    session.imagesPending ??= this.produceImages(session, session.result.outcome).finally(() => {
      session.imagesPending = undefined;
    });
    await session.imagesPending;
  }

  private async produceImages(session: Session, outcome: ResolvedOutcome): Promise<void> {
    const auditCount = Math.min(outcome.auditImages, session.input.auditImagesLimit);
    const variants = {
      reference: outcome.referenceImage ? 0 : undefined,
      audit: [...Array(auditCount).keys()].map((i) => i + 1),
    };
    const person: CameraPerson = {
      subject: outcome.person,
      ...(outcome.similarity !== undefined && { similarity: outcome.similarity }),
    };
    const output = session.input.outputConfig;
    const sink = this.options.sink;
    if (!output || !sink) {
      const asBytes = (variant: number): StoredImage => {
        const image = emulatedImage(variant, person);
        return { bytes: image.bytes, boundingBox: image.boundingBox };
      };
      session.images = {
        ...(variants.reference !== undefined && { reference: asBytes(variants.reference) }),
        audit: variants.audit.map(asBytes),
      };
      return;
    }
    const keys = imageKeys(output.keyPrefix, session.id, auditCount);
    const write = async (variant: number, key: string): Promise<StoredImage> => {
      const image = emulatedImage(variant, person);
      await sink.put(output.bucket, key, image.bytes, session.input.kmsKeyId);
      return { s3: { bucket: output.bucket, key }, boundingBox: image.boundingBox };
    };
    const reference = variants.reference !== undefined ? await write(variants.reference, keys.reference) : undefined;
    const audit: StoredImage[] = [];
    for (const [i, variant] of variants.audit.entries()) audit.push(await write(variant, keys.audit[i] as string));
    session.images = { ...(reference && { reference }), audit };
  }

  private status(session: Session): SessionStatusValue {
    return session.result?.status ?? (session.startedAt !== undefined ? 'IN_PROGRESS' : 'CREATED');
  }

  private challengeOf(session: Session): ChallengeChoice {
    const override = session.result?.outcome.challenge ?? session.scripted?.challenge;
    return override ? { Type: override.type, Version: override.version } : session.input.challenge;
  }

  private toAwsResponse(session: Session): Record<string, unknown> {
    const status = this.status(session);
    const body: Record<string, unknown> = { SessionId: session.id, Status: status };
    // The challenge is known once a client started streaming; a session that expired unused never had one.
    if (session.startedAt !== undefined) body.Challenge = this.challengeOf(session);
    if (status === 'SUCCEEDED' && session.result) {
      const { outcome } = session.result;
      body.Confidence = outcome.confidence;
      body.Feedback = outcome.feedback.map((f) => ({ Code: f.code, Message: f.message ?? FEEDBACK_MESSAGES[f.code] }));
      const toAws = (image: StoredImage): Record<string, unknown> => ({
        ...('s3' in image
          ? { S3Object: { Bucket: image.s3.bucket, Name: image.s3.key } }
          : { Bytes: Buffer.from(image.bytes).toString('base64') }),
        BoundingBox: image.boundingBox,
      });
      if (session.images?.reference) body.ReferenceImage = toAws(session.images.reference);
      body.AuditImages = (session.images?.audit ?? []).map(toAws);
    }
    if (session.sdkType !== undefined && session.startedAt !== undefined) body.Metadata = { SDKType: session.sdkType };
    return body;
  }

  private view(session: Session): SessionView {
    const iso = (ms: number): string => new Date(ms).toISOString();
    const imageView = (image: StoredImage): { bucket: string; key: string } | { bytes: number } =>
      's3' in image ? { ...image.s3 } : { bytes: image.bytes.length };
    const { input } = session;
    return {
      sessionId: session.id,
      status: this.status(session),
      createdAt: iso(session.createdAt),
      ...(session.region !== undefined && { region: session.region }),
      expiresAt: iso(session.createdAt + this.options.ttlMs),
      forgottenAt: iso(session.createdAt + this.options.ttlMs + this.options.retentionMs),
      ...(input.clientRequestToken !== undefined && { clientRequestToken: input.clientRequestToken }),
      ...(input.kmsKeyId !== undefined && { kmsKeyId: input.kmsKeyId }),
      ...(input.outputConfig && { outputConfig: input.outputConfig }),
      auditImagesLimit: input.auditImagesLimit,
      challenge: this.challengeOf(session),
      autoComplete: session.defaults.autoComplete && !session.manual,
      streaming: session.manual && session.startedAt !== undefined && !session.result,
      ...(session.startedAt !== undefined && { startedAt: iso(session.startedAt) }),
      ...(session.scripted && { scriptedOutcome: session.scripted }),
      ...(session.result && {
        result: {
          status: session.result.status,
          completedAt: iso(session.result.completedAt),
          outcome: session.result.outcome,
        },
      }),
      ...(session.images && {
        images: {
          ...(session.images.reference && { reference: imageView(session.images.reference) }),
          audit: session.images.audit.map(imageView),
        },
      }),
    };
  }
}
