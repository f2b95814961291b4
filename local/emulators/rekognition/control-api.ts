/**
 * The emulator's own control endpoint under /_emulator/ (JSON, camelCase), kept apart from the AWS protocol. It lets
 * tests and demos script outcomes, change defaults and faults, and drive a session by hand. Requests with a body must
 * be `Content-Type: application/json` (POST and PUT always), which a web page on another origin cannot send without a
 * CORS preflight that this endpoint never grants.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError, type FaultErrorName } from './service-errors';
import type { FailNextOptions, FaultInjector, FaultSettings } from './faults';
import { BodyTooLargeError, readBody, sendJson } from './http-io';
import { ControlError, parseOutcomeSpec, type DefaultsPatch, type OutcomeSpec, type SessionDefaults } from './outcomes';
import type { SessionView } from './emulated-sessions';
import type { CollectionView } from './collections';

export const CONTROL_PREFIX = '/_emulator';

/** What the control endpoint drives; the emulator object exposes the same functions to code. */
export interface ControlTarget {
  readonly sessions: {
    list(): SessionView[];
    get(id: string): SessionView | undefined;
    setOutcome(id: string, spec: OutcomeSpec): SessionView;
    markStreaming(id: string, options?: { sdkType?: string }): SessionView;
    hold(id: string): SessionView;
    complete(id: string, spec?: OutcomeSpec): Promise<SessionView>;
  };
  readonly defaults: { get(): SessionDefaults; set(patch: DefaultsPatch): SessionDefaults };
  /** The face collections (left alone by reset: they are the deployment's data, like the table and the bucket). */
  readonly collections: { list(): CollectionView[] };
  readonly faults: {
    get(): ReturnType<FaultInjector['get']>;
    set(settings: FaultSettings): FaultSettings;
    failNext(error: FaultErrorName, options?: FailNextOptions): void;
    clear(): void;
  };
  reset(): void;
  /** The failure lockouts of the API in front (local mode's session table), when the emulator is part of a local stack. */
  readonly lockouts?: { clear(): Promise<number> };
}

/**
 * POST and PUT with a body must be JSON: a page on another origin cannot send that without a preflight. A bodiless
 * one (`curl -X POST …/reset`) needs no content type, unless it comes from a web page (it has an Origin header): a
 * page could send that one without a preflight too.
 */
function requireJsonContentType(req: IncomingMessage): void {
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType === 'application/json') return;
  const bodiless =
    contentType === '' &&
    req.headers['transfer-encoding'] === undefined &&
    (req.headers['content-length'] === undefined || req.headers['content-length'] === '0');
  if (bodiless && req.headers.origin === undefined) return;
  throw new ControlError(
    415,
    'POST and PUT control requests with a body must be sent as Content-Type: application/json',
  );
}

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  let text: string;
  try {
    text = await readBody(req, 64 * 1024);
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw new ControlError(413, err.message);
    throw err;
  }
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ControlError(400, 'Body is not valid JSON');
  }
}

function objectBody(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ControlError(400, 'Body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

interface RouteContext {
  readonly req: IncomingMessage;
  /** The `{id}` of a session route. */
  readonly id: string;
  readonly target: ControlTarget;
}

interface ControlRoute {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** Below CONTROL_PREFIX; `{id}` is a session id. */
  readonly path: string;
  /** What the body holds, for the index. */
  readonly body?: string;
  readonly does: string;
  handle(context: RouteContext): unknown;
}

/** Every control route: what the endpoint answers and what `GET /_emulator` lists. */
export const CONTROL_ROUTES: readonly ControlRoute[] = [
  { method: 'GET', path: '/health', does: 'is the emulator up', handle: () => ({ ok: true }) },
  {
    method: 'GET',
    path: '/sessions',
    does: 'every session',
    handle: ({ target }) => ({ sessions: target.sessions.list() }),
  },
  {
    method: 'GET',
    path: '/sessions/{id}',
    does: 'one session: status, times, settings, scripted outcome, result, image keys (no bytes)',
    handle: ({ target, id }) => {
      const view = target.sessions.get(id);
      if (!view) throw new ControlError(404, `Session not found: ${id}`);
      return view;
    },
  },
  {
    method: 'PUT',
    path: '/sessions/{id}/outcome',
    body: 'outcome',
    does: 'how the session will end (by itself or through complete)',
    handle: async ({ target, id, req }) => target.sessions.setOutcome(id, parseOutcomeSpec(await jsonBody(req))),
  },
  {
    method: 'POST',
    path: '/sessions/{id}/start',
    body: '{ sdkType? }',
    does: 'IN_PROGRESS now; no auto-complete afterwards',
    handle: async ({ target, id, req }) => {
      const body = objectBody(await jsonBody(req));
      if (body.sdkType !== undefined && typeof body.sdkType !== 'string') {
        throw new ControlError(400, 'sdkType must be a string');
      }
      return target.sessions.markStreaming(id, {
        ...(body.sdkType !== undefined && { sdkType: body.sdkType as string }),
      });
    },
  },
  {
    method: 'POST',
    path: '/sessions/{id}/hold',
    does: 'a CREATED session waits for a streaming client',
    handle: ({ target, id }) => target.sessions.hold(id),
  },
  {
    method: 'POST',
    path: '/sessions/{id}/complete',
    body: 'outcome (optional)',
    does: 'ends the session now, writes its images',
    handle: async ({ target, id, req }) => target.sessions.complete(id, parseOutcomeSpec(await jsonBody(req))),
  },
  {
    method: 'GET',
    path: '/collections',
    does: 'every face collection and its faces: face id, ExternalImageId, which synthetic person (no images)',
    handle: ({ target }) => ({ collections: target.collections.list() }),
  },
  {
    method: 'GET',
    path: '/defaults',
    does: 'defaults for new sessions',
    handle: ({ target }) => target.defaults.get(),
  },
  {
    method: 'PUT',
    path: '/defaults',
    body: '{ autoComplete?, startAfterMs?, completeAfterMs?, outcome? }',
    does: 'changes the defaults for new sessions (merged); outcome.person says who is in front of the camera',
    handle: async ({ target, req }) => target.defaults.set((await jsonBody(req)) as DefaultsPatch),
  },
  { method: 'GET', path: '/faults', does: 'the fault settings', handle: ({ target }) => target.faults.get() },
  {
    method: 'PUT',
    path: '/faults',
    body: '{ seed?, throttlingRate?, internalErrorRate?, latencyMs?, operations? }',
    does: 'sets the fault settings',
    handle: async ({ target, req }) => {
      target.faults.set((await jsonBody(req)) as FaultSettings);
      return target.faults.get();
    },
  },
  {
    method: 'DELETE',
    path: '/faults',
    does: 'clears every fault',
    handle: ({ target }) => {
      target.faults.clear();
      return target.faults.get();
    },
  },
  {
    method: 'POST',
    path: '/faults/fail-next',
    body: '{ error, count?, operation? }',
    does: 'the next count calls fail with error',
    handle: async ({ target, req }) => {
      const body = objectBody(await jsonBody(req));
      target.faults.failNext(body.error as FaultErrorName, {
        ...(body.count !== undefined && { count: body.count as number }),
        ...(body.operation !== undefined && { operation: body.operation as FailNextOptions['operation'] }),
      });
      return target.faults.get();
    },
  },
  {
    method: 'POST',
    path: '/reset',
    does: 'forgets sessions, restores start-up defaults and faults, clears lockouts',
    handle: async ({ target }) => {
      target.reset();
      if (target.lockouts) await target.lockouts.clear();
      return { ok: true };
    },
  },
  {
    method: 'DELETE',
    path: '/lockouts',
    does: "clears the local API's failure lockouts",
    handle: async ({ target }) => {
      if (!target.lockouts)
        throw new ControlError(404, 'This emulator runs without a session table: there are no lockouts to clear');
      return { cleared: await target.lockouts.clear() };
    },
  },
];

/** `GET /_emulator`: the routes above, as the banner's control URL answers them. */
function controlIndex(): unknown {
  return {
    routes: CONTROL_ROUTES.map(({ method, path, body, does }) => ({
      method,
      path: `${CONTROL_PREFIX}${path}`,
      ...(body !== undefined && { body }),
      does,
    })),
  };
}

const ROUTES_BY_KEY = new Map(CONTROL_ROUTES.map((route) => [`${route.method} ${route.path}`, route]));

export async function handleControlRequest(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  target: ControlTarget,
): Promise<void> {
  const method = req.method ?? 'GET';
  try {
    let parts: string[];
    try {
      parts = url.pathname.slice(CONTROL_PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      throw new ControlError(400, 'Malformed URL');
    }
    if (parts.length === 0 && method === 'GET') return sendJson(res, 200, controlIndex());
    const key = `${method} /${parts.map((p, i) => (parts[0] === 'sessions' && i === 1 ? '{id}' : p)).join('/')}`;
    const route = ROUTES_BY_KEY.get(key);
    if (!route)
      throw new ControlError(404, `No control route ${method} ${url.pathname} (GET ${CONTROL_PREFIX} lists them)`);
    // POST is the one writing method a page on another origin can send without a preflight; PUT is checked alike.
    if (method === 'POST' || method === 'PUT') requireJsonContentType(req);
    return sendJson(res, 200, await route.handle({ req, id: parts[1] ?? '', target }));
  } catch (err) {
    if (err instanceof ControlError) return sendJson(res, err.statusCode, { error: err.message });
    if (err instanceof AwsError) {
      // Completing a session failed on the AWS side (e.g. the bucket vanished): the caller's setup, not ours.
      return sendJson(res, 409, { error: `${err.type}: ${err.message}` });
    }
    return sendJson(res, 500, { error: 'Internal emulator error' });
  }
}
