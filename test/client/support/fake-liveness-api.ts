/**
 * An in-test fake of THIS API (not of Rekognition), following contract/routes.ts, api-types.ts and error-codes.ts, with
 * a per-session script of answers so tests can stage pending → finished, throttling, outages and broken proxies.
 */
import { randomUUID } from 'node:crypto';
import type { CreateSessionResponse, FinishedResult, PendingResult } from '../../../contract/api-types';
import { ERROR_CODES, RETRY_AFTER_SECONDS, type ErrorBody, type ErrorCode } from '../../../contract/error-codes';
import { CREATE_SESSION_BODY_SCHEMA, SESSION_ID, SESSION_TTL_SECONDS } from '../../../contract/liveness-model';
import { matchPath, ROUTES } from '../../../contract/routes';
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

  const addSession = (steps: readonly Step[] = defaultScript): string => {
    const id = randomUUID();
    sessions.set(id, [...steps]);
    return id;
  };

  const handle = async (request: RecordedRequest): Promise<Reply> => {
    const requestId = `req-${++requestCounter}`;
    const denied = await options.authorize?.(request);
    if (denied) return errorReply(denied, requestId, 'Denied by the test authorizer.');
    const path = request.url.split('?')[0]!;
    if (!path.startsWith(`${stage}/`)) return errorReply('NOT_FOUND', requestId, 'No such route.');
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
    return stepReply(step, sessionId, requestId);
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
    const token = (body as { clientRequestToken?: string }).clientRequestToken;
    const existing = token === undefined ? undefined : tokens.get(token);
    const created: CreateSessionResponse = existing ?? {
      sessionId: addSession(),
      region,
      expiresAt: new Date(Date.now() + SESSION_TTL_SECONDS * 1000).toISOString(),
    };
    if (token !== undefined) tokens.set(token, created);
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
    } else {
      return `Unknown field "${key}".`;
    }
  }
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
