/**
 * An in-test fake of THIS API (not of Rekognition), following contract/routes.ts, api-types.ts and error-codes.ts, with
 * a per-session script of answers so tests can stage pending → finished, throttling, outages and broken proxies.
 * Its identity routes keep checks, their binding to a session and the enrolled subjects as the real backend does, and
 * decide each check once, with the verdict (`identity.decide` says how a live one ends).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { CreateSessionResponse, FinishedResult, PendingResult } from '../../../contract/api-types';
import { ERROR_CODES, RETRY_AFTER_SECONDS, type ErrorBody, type ErrorCode } from '../../../contract/error-codes';
import { CREATE_SESSION_BODY_SCHEMA, SESSION_ID, SESSION_TTL_SECONDS } from '../../../contract/liveness-model';
import {
  CHECK_TOKEN,
  IDENTITY_METHODS,
  SUBJECT,
  type CreateIdentityCheckRequest,
  type IdentityReason,
  type IdentityResult,
} from '../../../contract/identity';
import { buildPath, matchPath, ROUTES } from '../../../contract/routes';
import { startServer, type RecordedRequest, type Reply, type TestServer } from './http-server';

export type Step =
  | { readonly kind: 'pending'; readonly status: PendingResult['status']; readonly retryAfter?: string }
  | { readonly kind: 'finished'; readonly result: Omit<FinishedResult, 'sessionId'> }
  | { readonly kind: 'error'; readonly code: ErrorCode; readonly retryAfter?: string; readonly message?: string }
  | { readonly kind: 'raw'; readonly reply: Reply };

export const pending = (retryAfter?: number | string, status: PendingResult['status'] = 'IN_PROGRESS'): Step => ({
  kind: 'pending',
  status,
  retryAfter: retryAfter === undefined ? undefined : String(retryAfter),
});
export const live = (extra: Partial<Omit<FinishedResult, 'sessionId' | 'done'>> = {}): Step => ({
  kind: 'finished',
  result: { status: 'SUCCEEDED', done: true, isLive: true, feedback: [], ...extra },
});
export const notLive = (extra: Partial<Omit<FinishedResult, 'sessionId' | 'done'>> = {}): Step => ({
  kind: 'finished',
  result: {
    status: 'SUCCEEDED',
    done: true,
    isLive: false,
    reason: 'LOW_CONFIDENCE',
    message: 'The check did not pass. Please try again.',
    feedback: ['LOW_LIGHTING_DETECTED'],
    ...extra,
  },
});
/** `retryAfter` null: send no header even for a retryable code. */
export const apiError = (code: ErrorCode, retryAfter?: number | string | null, message?: string): Step => ({
  kind: 'error',
  code,
  retryAfter: retryAfter === null ? undefined : String(retryAfter ?? RETRY_AFTER_SECONDS[code] ?? '') || undefined,
  message,
});
export const raw = (status: number, body: string, headers: Record<string, string> = {}): Step => ({
  kind: 'raw',
  reply: { status, body, headers },
});

export interface FakeLivenessApiOptions {
  /** @default '/v1' */
  readonly stage?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** Answers to GET result for a new session, in order; the last one repeats. @default [pending(), live()] */
  readonly script?: readonly Step[];
  /** Runs before routing; an error code rejects the request as API Gateway would. */
  readonly authorize?: (request: RecordedRequest) => ErrorCode | undefined | Promise<ErrorCode | undefined>;
  /** Runs instead of `authorize` for the backend routes (identity checks, erasure). @default every request allowed */
  readonly authorizeBackend?: (request: RecordedRequest) => ErrorCode | undefined | Promise<ErrorCode | undefined>;
  /** The identity routes' behaviour. */
  readonly identity?: {
    /** The construct's similarity threshold (the floor). @default 99 */
    readonly threshold?: number;
    /** How a live session's check ends (not live is always NOT_LIVE). @default matched */
    readonly decide?: (check: FakeIdentityCheck) => { readonly matched: boolean; readonly reason?: IdentityReason };
  };
}

/** An identity check as the fake keeps it. */
export interface FakeIdentityCheck extends CreateIdentityCheckRequest {
  readonly token: string;
  readonly threshold: number;
  sessionId?: string;
  outcome?: IdentityResult;
}

export interface FakeLivenessApi {
  /** The base URL a client is given: origin + stage + `/`. */
  readonly url: string;
  readonly origin: string;
  readonly requests: RecordedRequest[];
  /** Answers for the next POST /sessions calls, in order, before normal handling resumes. */
  readonly createSteps: Step[];
  /** Replaces a session's remaining script. */
  script(sessionId: string, steps: readonly Step[]): void;
  /** Registers a session without a request, as if created earlier. */
  addSession(steps?: readonly Step[]): string;
  /** Identity checks opened so far, by token. */
  readonly checks: ReadonlyMap<string, FakeIdentityCheck>;
  /** Subjects with an enrolled face. */
  readonly enrolled: Set<string>;
  close(): Promise<void>;
}

let requestCounter = 0;

export async function startFakeLivenessApi(options: FakeLivenessApiOptions = {}): Promise<FakeLivenessApi> {
  const stage = options.stage ?? '/v1';
  const region = options.region ?? 'us-east-1';
  const defaultScript = options.script ?? [pending(), live()];
  const sessions = new Map<string, Step[]>();
  const tokens = new Map<string, CreateSessionResponse>();
  const createSteps: Step[] = [];
  const checks = new Map<string, FakeIdentityCheck>();
  const checkOfSession = new Map<string, FakeIdentityCheck>();
  const enrolled = new Set<string>();
  const floor = options.identity?.threshold ?? 99;

  const addSession = (steps: readonly Step[] = defaultScript): string => {
    const id = randomUUID();
    sessions.set(id, [...steps]);
    return id;
  };

  const handle = async (request: RecordedRequest): Promise<Reply> => {
    const requestId = `req-${++requestCounter}`;
    const path = request.url.split('?')[0]!;
    const backend = backendRoute(path.slice(stage.length), request.method);
    const denied = await (backend ? options.authorizeBackend : options.authorize)?.(request);
    if (denied) return errorReply(denied, requestId, 'Denied by the test authorizer.');
    if (!path.startsWith(`${stage}/`)) return errorReply('NOT_FOUND', requestId, 'No such route.');
    if (backend?.name === 'createIdentityCheck') return openCheck(request, requestId);
    if (backend?.name === 'eraseSubject') return erase(backend.subject, requestId);
    const matches = matchPath(path.slice(stage.length));
    const match = matches.find((m) => m.route.method === request.method);
    if (!match) {
      return matches.length > 0
        ? errorReply('METHOD_NOT_ALLOWED', requestId, 'Method not allowed.')
        : errorReply('NOT_FOUND', requestId, 'No such route.');
    }
    if (match.route.name === ROUTES.createSession.name) {
      const next = createSteps.shift();
      if (next) return stepReply(next, '', requestId);
      return createSession(request, requestId);
    }
    const sessionId = match.pathParameters['sessionId'] ?? '';
    if (!SESSION_ID.pattern.test(sessionId)) return errorReply('VALIDATION_ERROR', requestId, 'Invalid session id.');
    const script = sessions.get(sessionId);
    if (!script) return errorReply('SESSION_NOT_FOUND', requestId, 'No such session: start a new one.');
    const step = script.length > 1 ? script.shift()! : script[0]!;
    return stepReply(withIdentity(step, sessionId), sessionId, requestId);
  };

  /** A finished step of a session that carries a check gets the check's outcome, decided on the first such read. */
  const withIdentity = (step: Step, sessionId: string): Step => {
    const check = checkOfSession.get(sessionId);
    if (step.kind !== 'finished' || !check || step.result.identity) return step;
    check.outcome ??= decide(check, step.result.isLive);
    return { ...step, result: { ...step.result, identity: check.outcome } };
  };

  const decide = (check: FakeIdentityCheck, live: boolean): IdentityResult => {
    const base = { method: check.method, subject: check.subject, threshold: check.threshold };
    if (!live) return { ...base, matched: false, reason: 'NOT_LIVE' };
    if (check.method === 'enrolled' && !enrolled.has(check.subject))
      return { ...base, matched: false, reason: 'SUBJECT_NOT_ENROLLED' };
    const decided = options.identity?.decide?.(check) ?? { matched: true };
    if (check.method === 'enrol' && decided.matched) enrolled.add(check.subject);
    return { ...base, ...decided };
  };

  const openCheck = (request: RecordedRequest, requestId: string): Reply => {
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      return errorReply('MALFORMED_JSON', requestId, 'The body is not JSON.');
    }
    const problem = validateCheckBody(body, floor);
    if (problem) return errorReply('VALIDATION_ERROR', requestId, problem);
    const input = body as CreateIdentityCheckRequest;
    const token = randomBytes(32).toString('base64url');
    checks.set(token, { ...input, token, threshold: input.threshold ?? floor });
    return json(201, { checkToken: token, expiresAt: new Date(Date.now() + 600_000).toISOString() }, requestId);
  };

  const erase = (subject: string, requestId: string): Reply => {
    if (!SUBJECT.pattern.test(subject) || subject.length > SUBJECT.maxLength)
      return errorReply('VALIDATION_ERROR', requestId, 'Invalid subject.');
    const facesDeleted = enrolled.delete(subject) ? 1 : 0;
    let referencePhotosDeleted = 0;
    for (const [token, check] of checks) {
      if (check.subject !== subject) continue;
      if (check.referencePhoto && 'bytes' in check.referencePhoto && !check.outcome) referencePhotosDeleted += 1;
      checks.delete(token);
    }
    return json(200, { subject, facesDeleted, referencePhotosDeleted }, requestId);
  };

  const createSession = (request: RecordedRequest, requestId: string): Reply => {
    if (!/^application\/json\b/.test(request.headers['content-type'] ?? '')) {
      return errorReply('UNSUPPORTED_MEDIA_TYPE', requestId, 'Send application/json.');
    }
    let body: unknown;
    try {
      body = request.body === '' ? {} : JSON.parse(request.body);
    } catch {
      return errorReply('MALFORMED_JSON', requestId, 'The body is not JSON.');
    }
    const problem = validateCreateBody(body);
    if (problem) return errorReply('VALIDATION_ERROR', requestId, problem);
    const { clientRequestToken: token, identityCheck } = body as {
      clientRequestToken?: string;
      identityCheck?: string;
    };
    const check = identityCheck === undefined ? undefined : checks.get(identityCheck);
    if (identityCheck !== undefined && (!check || check.sessionId !== undefined)) {
      return errorReply(
        'IDENTITY_CHECK_INVALID',
        requestId,
        check ? 'The identity check is already bound to a session.' : 'The identity check is unknown or has expired.',
      );
    }
    const existing = token === undefined ? undefined : tokens.get(token);
    const created: CreateSessionResponse = existing ?? {
      sessionId: addSession(),
      region,
      expiresAt: new Date(Date.now() + SESSION_TTL_SECONDS * 1000).toISOString(),
    };
    if (token !== undefined) tokens.set(token, created);
    if (check) {
      check.sessionId = created.sessionId;
      checkOfSession.set(created.sessionId, check);
    }
    return json(201, created, requestId);
  };

  const server: TestServer = await startServer(handle);
  return {
    url: `${server.origin}${stage}/`,
    origin: server.origin,
    requests: server.requests,
    createSteps,
    script: (sessionId, steps) => sessions.set(sessionId, [...steps]),
    addSession,
    checks,
    enrolled,
    close: () => server.close(),
  };
}

function stepReply(step: Step, sessionId: string, requestId: string): Reply {
  switch (step.kind) {
    case 'pending': {
      const body: PendingResult = { sessionId, status: step.status, done: false };
      return json(200, body, requestId, step.retryAfter === undefined ? {} : { 'Retry-After': step.retryAfter });
    }
    case 'finished': {
      const body: FinishedResult = { sessionId, ...step.result };
      return json(200, body, requestId);
    }
    case 'error':
      return errorReply(step.code, requestId, step.message ?? `Scripted ${step.code}.`, step.retryAfter);
    case 'raw':
      return step.reply;
  }
}

/** The same rules the API Gateway model enforces (CREATE_SESSION_BODY_SCHEMA), checked by hand. */
function validateCreateBody(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'The body must be a JSON object.';
  const { properties } = CREATE_SESSION_BODY_SCHEMA;
  for (const [key, value] of Object.entries(body)) {
    if (key === 'clientRequestToken') {
      const p = properties.clientRequestToken;
      if (
        typeof value !== 'string' ||
        value.length < p.minLength ||
        value.length > p.maxLength ||
        !new RegExp(p.pattern).test(value)
      ) {
        return 'Invalid clientRequestToken.';
      }
    } else if (key === 'auditImagesLimit') {
      const p = properties.auditImagesLimit;
      if (!Number.isInteger(value) || (value as number) < p.minimum || (value as number) > p.maximum)
        return 'Invalid auditImagesLimit.';
    } else if (key === 'challenge') {
      if (!(properties.challenge.enum as readonly unknown[]).includes(value)) return 'Invalid challenge.';
    } else if (key === 'nonce') {
      const p = properties.nonce;
      if (
        typeof value !== 'string' ||
        value.length < p.minLength ||
        value.length > p.maxLength ||
        !new RegExp(p.pattern).test(value)
      ) {
        return 'Invalid nonce.';
      }
    } else if (key === 'identityCheck') {
      if (typeof value !== 'string' || !CHECK_TOKEN.pattern.test(value)) return 'Invalid identityCheck.';
    } else {
      return `Unknown field "${key}".`;
    }
  }
  return undefined;
}

/** Which backend route a path and method are, if any (the subject of an erasure decoded). */
function backendRoute(
  path: string,
  method: string,
): { readonly name: 'createIdentityCheck' } | { readonly name: 'eraseSubject'; readonly subject: string } | undefined {
  const { createIdentityCheck, eraseSubject } = ROUTES;
  if (method === createIdentityCheck.method && path === createIdentityCheck.path)
    return { name: 'createIdentityCheck' };
  const prefix = buildPath(eraseSubject, { subject: '' });
  if (method === eraseSubject.method && path.startsWith(prefix) && !path.slice(prefix.length).includes('/'))
    return { name: 'eraseSubject', subject: decodeURIComponent(path.slice(prefix.length)) };
  return undefined;
}

/** The rules of POST /identity/checks, by hand. */
function validateCheckBody(body: unknown, floor: number): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'The body must be a JSON object.';
  const { subject, method, referencePhoto, threshold, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) return `Unknown field "${unknown}".`;
  if (typeof subject !== 'string' || subject.length > SUBJECT.maxLength || !SUBJECT.pattern.test(subject))
    return 'Invalid subject.';
  if (!(IDENTITY_METHODS as readonly unknown[]).includes(method)) return 'Invalid method.';
  if ((method === 'reference') !== (referencePhoto !== undefined))
    return method === 'reference' ? 'referencePhoto is required.' : 'referencePhoto is only for the reference method.';
  if (referencePhoto !== undefined) {
    const photo = referencePhoto as { bytes?: unknown; s3Object?: { bucket?: unknown; name?: unknown } };
    const ok =
      typeof photo.bytes === 'string'
        ? /^[A-Za-z0-9+/]+=*$/.test(photo.bytes)
        : typeof photo.s3Object?.bucket === 'string' && typeof photo.s3Object.name === 'string';
    if (!ok) return 'Invalid referencePhoto.';
  }
  if (threshold !== undefined && !(typeof threshold === 'number' && threshold >= floor && threshold <= 100))
    return `threshold must be from ${floor} (the backend's floor) to 100.`;
  return undefined;
}

function json(status: number, body: unknown, requestId: string, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId, ...headers },
    body: JSON.stringify(body),
  };
}

function errorReply(code: ErrorCode, requestId: string, message: string, retryAfter?: string): Reply {
  const body: ErrorBody = { error: { code, message, requestId } };
  return json(ERROR_CODES[code].status, body, requestId, retryAfter === undefined ? {} : { 'Retry-After': retryAfter });
}
