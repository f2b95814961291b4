/**
 * Local mode only: the example app's stand-in for an app's own backend in identity verification. The browser must not
 * choose the reference photo or the subject, so it asks this server-side route for a one-time check token, and this
 * route decides both, as a real app's backend would from its signed-in user and its own records:
 *
 *   POST /demo-backend/identity-checks  {"flow": "id-photo" | "enrol" | "verify", "person"?: "p1" | "p2" | "none" | "two"}
 *   → 201 {"checkToken": "…"}
 *
 * The subject is always DEMO_SUBJECT; for "id-photo" the ID photo is the emulator's synthetic ID photo of the chosen
 * demo person (the browser picks which demo scenario to play, never an image). The check is opened with local mode's
 * app-backend credentials through the typed server client, as an app's backend does with its IAM role.
 *
 * Same-origin and CSRF-safe: only POST with a JSON body, an Origin header of this app and a loopback Host are answered.
 *
 *   GET /demo-backend/id-photos/<person>.jpg   the ID photo that "person" stands for, to show it on the page
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createIdentityChecks, type IdentityChecks } from '../../client/identity-checks';
import { LOCAL_BACKEND_CREDENTIALS } from '../../contract/local-mode';
import { idPhoto, type PersonId } from '../emulators/rekognition';

export const DEMO_BACKEND_PREFIX = '/demo-backend/';
/** The one demo user of the example app: a real app's backend takes it from its own session. */
export const DEMO_SUBJECT = 'demo-user-1';
export const DEMO_FLOWS = ['id-photo', 'enrol', 'verify'] as const;
export type DemoFlow = (typeof DEMO_FLOWS)[number];

/** What each demo ID photo shows: the emulator's camera plays p1 unless told otherwise. */
export const DEMO_ID_PHOTOS = {
  p1: ['p1'],
  p2: ['p2'],
  none: [],
  two: ['p1', 'p2'],
} as const satisfies Record<string, readonly PersonId[]>;
export type DemoIdPhoto = keyof typeof DEMO_ID_PHOTOS;

const FLOW_METHODS = { 'id-photo': 'reference', enrol: 'enrol', verify: 'enrolled' } as const;
const MAX_BODY_BYTES = 1024;

export interface DemoBackendOptions {
  /** The local API's URL; a function when the API starts after the web server. */
  readonly apiUrl: string | (() => string);
  readonly region: string;
}

export type DemoBackendHandler = (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<void>;

/**
 * The handler of DEMO_BACKEND_PREFIX routes; `origins` are the app's own origins (its URL as 127.0.0.1 and as
 * localhost), read per request since the port is known only once the server listens.
 */
export function demoBackend(options: DemoBackendOptions, origins: () => readonly string[]): DemoBackendHandler {
  let checks: IdentityChecks | undefined;
  let checksFor = '';
  const client = (): IdentityChecks => {
    const apiUrl = typeof options.apiUrl === 'function' ? options.apiUrl() : options.apiUrl;
    if (!checks || checksFor !== apiUrl) {
      checks = createIdentityChecks({ apiUrl, region: options.region, credentials: LOCAL_BACKEND_CREDENTIALS });
      checksFor = apiUrl;
    }
    return checks;
  };

  return async (req, res, pathname) => {
    const allowed = origins();
    if (!allowed.some((origin) => new URL(origin).host === req.headers.host)) {
      return fail(res, 403, 'FORBIDDEN', 'The demo backend answers this app’s own origin only.');
    }
    const photo = /^\/demo-backend\/id-photos\/([a-z0-9]+)\.jpg$/.exec(pathname)?.[1];
    if (photo !== undefined) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return notAllowed(res, 'GET, HEAD');
      if (!isDemoIdPhoto(photo)) return fail(res, 404, 'NOT_FOUND', `No demo ID photo "${photo}".`);
      const jpeg = idPhoto({ faces: DEMO_ID_PHOTOS[photo] });
      res.writeHead(200, {
        'Content-Type': 'image/jpeg',
        'Content-Length': String(jpeg.length),
        'Cache-Control': 'no-store',
      });
      return void res.end(req.method === 'HEAD' ? undefined : jpeg);
    }
    if (pathname !== '/demo-backend/identity-checks') return fail(res, 404, 'NOT_FOUND', 'No such demo route.');
    if (req.method !== 'POST') return notAllowed(res, 'POST');
    // A cross-site page can POST a form (no preflight) but cannot send application/json or forge Origin.
    const origin = req.headers.origin;
    if (origin === undefined || !allowed.includes(origin)) {
      return fail(res, 403, 'FORBIDDEN', 'The demo backend answers requests from this app’s own origin only.');
    }
    if (req.headers['sec-fetch-site'] !== undefined && req.headers['sec-fetch-site'] !== 'same-origin') {
      return fail(res, 403, 'FORBIDDEN', 'The demo backend answers same-origin requests only.');
    }
    if ((req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() !== 'application/json') {
      return fail(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'The body must be application/json.');
    }
    const text = await readBody(req, MAX_BODY_BYTES);
    if (text === undefined) return fail(res, 413, 'PAYLOAD_TOO_LARGE', `The body is over ${MAX_BODY_BYTES} bytes.`);
    const parsed = parseRequest(text);
    if (typeof parsed === 'string') return fail(res, 400, 'VALIDATION_ERROR', parsed);
    try {
      const { checkToken } = await client().openIdentityCheck({
        subject: DEMO_SUBJECT,
        method: FLOW_METHODS[parsed.flow],
        ...(parsed.flow === 'id-photo' && {
          referencePhoto: { bytes: idPhoto({ faces: DEMO_ID_PHOTOS[parsed.person ?? 'p1'] }) },
        }),
      });
      // Only the token: the subject, the method and the photo stay on the server side.
      sendJson(res, 201, { checkToken });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      fail(res, 502, 'BACKEND_ERROR', `The local API refused the identity check (${String(code ?? 'no response')}).`);
    }
  };
}

function isDemoIdPhoto(value: unknown): value is DemoIdPhoto {
  return typeof value === 'string' && Object.hasOwn(DEMO_ID_PHOTOS, value);
}

/** The request, or the problem with it in words. */
export function parseRequest(text: string): { flow: DemoFlow; person?: DemoIdPhoto } | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'The body is not JSON.';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'The body must be a JSON object.';
  const { flow, person, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) return `Unknown field ${unknown[0]}: the demo backend decides the subject and the photo.`;
  if (!(DEMO_FLOWS as readonly unknown[]).includes(flow)) return `flow must be one of ${DEMO_FLOWS.join(', ')}.`;
  if (person !== undefined) {
    if (flow !== 'id-photo') return 'person is only for the id-photo flow.';
    if (!isDemoIdPhoto(person)) return `person must be one of ${Object.keys(DEMO_ID_PHOTOS).join(', ')}.`;
  }
  return { flow: flow as DemoFlow, ...(person !== undefined && { person: person as DemoIdPhoto }) };
}

async function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function notAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('Allow', allow);
  fail(res, 405, 'METHOD_NOT_ALLOWED', `Use ${allow}.`);
}

function fail(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}
