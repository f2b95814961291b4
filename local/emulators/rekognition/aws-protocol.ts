/**
 * The AWS side of the emulator: `POST /` with `Content-Type: application/x-amz-json-1.1` and
 * `X-Amz-Target: RekognitionService.<Operation>`, answered with 200 + JSON or an error body `{"__type", "Message"}`.
 *
 * Authentication: the request must carry an Authorization header shaped like SigV4 for the service `rekognition`
 * (`AWS4-HMAC-SHA256 Credential=<key>/<yyyymmdd>/<region>/rekognition/aws4_request, SignedHeaders=..., Signature=<64 hex>`)
 * and an X-Amz-Date header. The signature itself is not verified (any key and secret work). No header:
 * MissingAuthenticationTokenException; malformed: IncompleteSignatureException; another service in the scope:
 * InvalidSignatureException; a region without Face Liveness: AccessDeniedException, as AWS answers there.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { AwsError } from './service-errors';
import type { FaultInjector } from './faults';
import { EMULATED_OPERATIONS, isFaceOperation, type EmulatedOperation } from './operations';
import { runFaceOperation, type FaceOperationDeps } from './face-operations';
import { BodyTooLargeError, readBody, sendJson } from './http-io';
import type { EmulatedSessionStore } from './emulated-sessions';
import type { SessionDefaults } from './outcomes';
import { parseJsonObject, validateCreateRequest, validateGetRequest, type ValidationErrorType } from './validate';

export const AWS_JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'RekognitionService.';
const MAX_BODY_BYTES = 1024 * 1024;
/** Two images of up to 5 MB each, base64-encoded, fit: CompareFaces is the largest request. */
const MAX_FACE_BODY_BYTES = 16 * 1024 * 1024;
/** Region of an unsigned call (requireSignature: false), for the collections it acts on. */
const UNSIGNED_REGION = 'us-east-1';
const SIGV4_AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

export interface AwsHandlerDeps {
  readonly store: EmulatedSessionStore;
  readonly faults: FaultInjector;
  readonly defaults: () => SessionDefaults;
  readonly requireSignature: boolean;
  readonly allowedRegions: readonly string[];
  readonly validationErrorType: ValidationErrorType;
  readonly sleep: (ms: number) => Promise<void>;
  readonly face: FaceOperationDeps;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Checks the Authorization header's shape and scope; returns the region it is scoped to. `allowedRegions` undefined:
 * any region (the face-matching operations are offered in more regions than Face Liveness).
 */
export function checkSignature(headers: IncomingHttpHeaders, allowedRegions: readonly string[] | undefined): string {
  const authorization = header(headers, 'authorization');
  if (authorization === undefined || authorization.trim() === '') {
    throw new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  const match = SIGV4_AUTHORIZATION.exec(authorization.trim());
  if (!match) {
    throw new AwsError(
      'IncompleteSignatureException',
      "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters of an AWS4-HMAC-SHA256 signature",
    );
  }
  const [, , , region, service] = match;
  if (header(headers, 'x-amz-date') === undefined && header(headers, 'date') === undefined) {
    throw new AwsError(
      'IncompleteSignatureException',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header",
    );
  }
  if (service !== 'rekognition') {
    throw new AwsError('InvalidSignatureException', "Credential should be scoped to correct service: 'rekognition'.");
  }
  if (allowedRegions !== undefined && !allowedRegions.includes(region as string)) {
    throw new AwsError(
      'AccessDeniedException',
      `Amazon Rekognition Face Liveness is not available in region ${region} (supported: ${allowedRegions.join(', ')})`,
    );
  }
  return region as string;
}

function operationOf(req: IncomingMessage, url: URL): EmulatedOperation {
  if (req.method !== 'POST' || url.pathname !== '/') {
    throw new AwsError('UnknownOperationException', `No operation at ${req.method ?? '?'} ${url.pathname}`);
  }
  const contentType = (header(req.headers, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== AWS_JSON_CONTENT_TYPE) {
    throw new AwsError('UnknownOperationException', `Expected Content-Type ${AWS_JSON_CONTENT_TYPE}`);
  }
  const target = header(req.headers, 'x-amz-target') ?? '';
  const name = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  if (!(EMULATED_OPERATIONS as readonly string[]).includes(name)) {
    throw new AwsError(
      'UnknownOperationException',
      target === ''
        ? 'Missing X-Amz-Target header'
        : `Unknown operation ${target} (this emulator serves ${EMULATED_OPERATIONS.join(', ')})`,
    );
  }
  return name as EmulatedOperation;
}

export async function handleAwsRequest(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: AwsHandlerDeps,
): Promise<void> {
  const requestId = randomUUID();
  const reply = (status: number, body: unknown, extra: Record<string, string> = {}): void =>
    sendJson(res, status, body, { 'x-amzn-RequestId': requestId, ...extra }, AWS_JSON_CONTENT_TYPE);
  try {
    const operation = operationOf(req, url);
    const face = isFaceOperation(operation);
    const region = deps.requireSignature
      ? checkSignature(req.headers, face ? undefined : deps.allowedRegions)
      : undefined;
    const fault = deps.faults.decide(operation);
    if (fault.latencyMs > 0) await deps.sleep(fault.latencyMs);
    if (fault.error) throw fault.error;

    let text: string;
    try {
      text = await readBody(req, face ? MAX_FACE_BODY_BYTES : MAX_BODY_BYTES);
    } catch (err) {
      if (err instanceof BodyTooLargeError) throw new AwsError('RequestEntityTooLargeException', err.message);
      throw err;
    }
    const body = parseJsonObject(text);
    if (isFaceOperation(operation)) {
      reply(200, await runFaceOperation(operation, body, region ?? UNSIGNED_REGION, deps.face));
    } else if (operation === 'CreateFaceLivenessSession') {
      const input = validateCreateRequest(body, deps.validationErrorType);
      const { sessionId } = await deps.store.create(input, deps.defaults(), region);
      reply(200, { SessionId: sessionId });
    } else {
      const { sessionId } = validateGetRequest(body, deps.validationErrorType);
      reply(200, await deps.store.results(sessionId));
    }
  } catch (err) {
    const error = err instanceof AwsError ? err : new AwsError('InternalServerError', 'Internal server error');
    if (!res.headersSent) reply(error.statusCode, error.toBody(), { 'x-amzn-ErrorType': error.type });
    else res.destroy();
  }
}
