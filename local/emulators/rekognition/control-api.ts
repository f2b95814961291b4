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

function requireJsonContentType(req: IncomingMessage): void {
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json') {
    throw new ControlError(415, 'POST and PUT control requests must be sent as Content-Type: application/json');
  }
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
    const route = `${method} /${parts.map((p, i) => (parts[0] === 'sessions' && i === 1 ? ':id' : p)).join('/')}`;
    const id = parts[1] ?? '';
    // POST is the one writing method a page on another origin can send without a preflight; PUT is checked alike.
    if (method === 'POST' || method === 'PUT') requireJsonContentType(req);
    switch (route) {
      case 'GET /health':
        return sendJson(res, 200, { ok: true });
      case 'GET /sessions':
        return sendJson(res, 200, { sessions: target.sessions.list() });
      case 'GET /sessions/:id': {
        const view = target.sessions.get(id);
        if (!view) throw new ControlError(404, `Session not found: ${id}`);
        return sendJson(res, 200, view);
      }
      case 'PUT /sessions/:id/outcome':
        return sendJson(res, 200, target.sessions.setOutcome(id, parseOutcomeSpec(await jsonBody(req))));
      case 'POST /sessions/:id/start': {
        const body = objectBody(await jsonBody(req));
        if (body.sdkType !== undefined && typeof body.sdkType !== 'string') {
          throw new ControlError(400, 'sdkType must be a string');
        }
        return sendJson(
          res,
          200,
          target.sessions.markStreaming(id, { ...(body.sdkType !== undefined && { sdkType: body.sdkType as string }) }),
        );
      }
      case 'POST /sessions/:id/hold':
        return sendJson(res, 200, target.sessions.hold(id));
      case 'POST /sessions/:id/complete':
        return sendJson(res, 200, await target.sessions.complete(id, parseOutcomeSpec(await jsonBody(req))));
      case 'GET /defaults':
        return sendJson(res, 200, target.defaults.get());
      case 'PUT /defaults':
        return sendJson(res, 200, target.defaults.set((await jsonBody(req)) as DefaultsPatch));
      case 'GET /faults':
        return sendJson(res, 200, target.faults.get());
      case 'PUT /faults':
        target.faults.set((await jsonBody(req)) as FaultSettings);
        return sendJson(res, 200, target.faults.get());
      case 'DELETE /faults':
        target.faults.clear();
        return sendJson(res, 200, target.faults.get());
      case 'POST /faults/fail-next': {
        const body = objectBody(await jsonBody(req));
        target.faults.failNext(body.error as FaultErrorName, {
          ...(body.count !== undefined && { count: body.count as number }),
          ...(body.operation !== undefined && { operation: body.operation as FailNextOptions['operation'] }),
        });
        return sendJson(res, 200, target.faults.get());
      }
      case 'POST /reset':
        target.reset();
        if (target.lockouts) await target.lockouts.clear();
        return sendJson(res, 200, { ok: true });
      case 'DELETE /lockouts': {
        if (!target.lockouts)
          throw new ControlError(404, 'This emulator runs without a session table: there are no lockouts to clear');
        return sendJson(res, 200, { cleared: await target.lockouts.clear() });
      }
      default:
        throw new ControlError(404, `No control route ${method} ${url.pathname}`);
    }
  } catch (err) {
    if (err instanceof ControlError) return sendJson(res, err.statusCode, { error: err.message });
    if (err instanceof AwsError) {
      // Completing a session failed on the AWS side (e.g. the bucket vanished): the caller's setup, not ours.
      return sendJson(res, 409, { error: `${err.type}: ${err.message}` });
    }
    return sendJson(res, 500, { error: 'Internal emulator error' });
  }
}
