/** What the CLI prints: short lines for people, one stable JSON object for machines. */
import type { FinishedResult, PendingResult } from '../contract/api-types';
import type { EraseSubjectResponse, IdentityReason, IdentityResult } from '../contract/identity';
import {
  LivenessApiError,
  LivenessCredentialsError,
  LivenessError,
  LivenessNetworkError,
  LivenessResponseError,
  LivenessTimeoutError,
  LivenessValidationError,
} from '../client';
import { LOCAL_EMULATOR_DEFAULT_PORT, LOCAL_PORTS } from '../contract/local-mode';
import { UsageError, type IdentityArgs } from './args';
import { ConfigError } from './connect';

export const shortId = (sessionId: string): string => `${sessionId.slice(0, 8)}…`;

export function formatVerdict(result: FinishedResult): string {
  // The score is the server's to keep: show it only when the server chose to expose details.
  const confidence = result.details?.confidence;
  const score = confidence === undefined ? '' : `, confidence ${confidence.toFixed(1)}`;
  if (result.isLive) return `✔ live (session ${shortId(result.sessionId)}${score})`;
  const why = result.reason ?? result.status;
  // The message is a sentence of its own (it ends with its stop); the feedback codes follow as another.
  const message = result.message ? ` — ${sentence(result.message)}` : '';
  const feedback = result.feedback.length > 0 ? `${message ? ' ' : ' — '}Feedback: ${result.feedback.join(', ')}.` : '';
  return `✘ not live: ${why}${message}${feedback} (session ${shortId(result.sessionId)}${score})`;
}

/** What each reason means, for people. */
export const IDENTITY_REASON_TEXT: Record<IdentityReason, string> = {
  NOT_LIVE: 'the check was not live, so no face was compared',
  NO_FACE_IN_REFERENCE: 'the reference photo has no face',
  MULTIPLE_FACES: 'the reference photo has more than one face',
  REFERENCE_PHOTO_UNREADABLE:
    'the reference photo cannot be used (not a JPEG or PNG, too large, or its face too small)',
  NO_FACE_IN_LIVENESS_IMAGE: "no face was found in the session's reference image",
  BELOW_THRESHOLD: 'the faces are not similar enough',
  SUBJECT_NOT_ENROLLED: 'no face is enrolled for this subject',
  ANOTHER_SUBJECT: "the live face is another subject's",
  FACE_ENROLLED_FOR_ANOTHER_SUBJECT: 'this face is already enrolled for another subject',
  CHECK_NOT_FOUND: 'the identity check was erased or expired before the verdict',
};

/** The identity line under the verdict: matched or not and why, the subject and threshold; a similarity only if exposed. */
export function formatIdentity(outcome: IdentityResult | undefined, asked: IdentityArgs): string {
  if (outcome === undefined || outcome.subject !== asked.subject || outcome.method !== asked.method) {
    return (
      `✘ error: the result carries no outcome of the identity check opened for subject ${asked.subject}` +
      ' (does this backend have identity verification on?).'
    );
  }
  const similarity = outcome.similarity === undefined ? '' : `, similarity ${outcome.similarity.toFixed(1)}`;
  const tail = `(subject ${outcome.subject}, threshold ${outcome.threshold}${similarity})`;
  if (outcome.matched) {
    const what =
      outcome.method === 'enrol'
        ? 'enrolled'
        : outcome.method === 'reference'
          ? 'matched the reference photo'
          : 'matched the enrolled face';
    return `✔ ${what} ${tail}`;
  }
  const verdict = outcome.method === 'enrol' ? 'not enrolled' : 'not matched';
  const reason = outcome.reason;
  if (reason === undefined) return `✘ ${verdict} ${tail}`;
  const text = IDENTITY_REASON_TEXT[reason] ?? 'a reason this CLI does not know yet';
  return `✘ ${verdict}: ${reason} — ${sentence(text)} ${tail}`;
}

export function formatErasure(erased: EraseSubjectResponse): string {
  const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  return (
    `✔ erased subject ${erased.subject}: ${plural(erased.facesDeleted, 'enrolled face')} and ` +
    `${plural(erased.referencePhotosDeleted, 'reference photo')} deleted`
  );
}

const sentence = (text: string): string => (/[.!?…]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

export function formatPending(result: PendingResult): string {
  return `… pending: ${result.status} (session ${shortId(result.sessionId)})`;
}

export interface ErrorContext {
  /** The API URL came from nowhere explicit: the local default. */
  readonly defaultApi?: boolean;
  readonly signed?: boolean;
  /** The credentials came from local mode's identity stand-in at this URL. */
  readonly localIdentityEndpoint?: string;
  /** REKOGNITION_EMULATOR_PORT as this run sees it, for the local lockout hint. */
  readonly emulatorPort?: string;
  /** The error came from a backend (identity) route, signed with these credentials. */
  readonly backendRoute?: 'local' | 'environment';
}

export function formatError(error: unknown, context: ErrorContext = {}): string {
  const hint = hintFor(error, context);
  return `✘ error: ${describeError(error)}${hint ? `\n  ${hint}` : ''}`;
}

function describeError(error: unknown): string {
  if (error instanceof LivenessApiError) {
    const id = error.requestId ? ` [request id ${error.requestId}]` : '';
    return `${error.code} (HTTP ${error.status}) — ${error.message}${id}`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

function hintFor(error: unknown, context: ErrorContext): string | undefined {
  if (context.backendRoute !== undefined) return backendHint(error, context.backendRoute);
  if (error instanceof LivenessApiError && error.code === 'LOCKED_OUT') {
    const wait = error.retryAfterSeconds === undefined ? 'later' : `in ${lockoutWait(error.retryAfterSeconds)}`;
    return (
      `Too many failed checks from this identity: try again ${wait}.` +
      (context.defaultApi
        ? ` Local mode: \`curl -X DELETE http://127.0.0.1:${context.emulatorPort ?? LOCAL_EMULATOR_DEFAULT_PORT}/_emulator/lockouts\` clears lockouts.`
        : '')
    );
  }
  if (
    (error instanceof LivenessNetworkError || (error instanceof LivenessCredentialsError && error.retryable)) &&
    context.defaultApi
  ) {
    return 'Is the local API running? Otherwise pass --api URL, --config FILE or set LIVENESS_API_URL.';
  }
  if (error instanceof LivenessApiError && error.code === 'INVALID_SIGNATURE' && context.localIdentityEndpoint) {
    // Credentials from another local mode's stand-in are well-formed but unknown to this API's.
    return (
      `The local API did not accept credentials from the identity stand-in at ${context.localIdentityEndpoint}: ` +
      `if this API's local mode runs its stand-in on another port, set ${LOCAL_PORTS.cognito.env} to it ` +
      '(npm start prints the command to run).'
    );
  }
  if (error instanceof LivenessApiError && error.code === 'SESSION_NOT_FOUND' && context.signed) {
    return (
      'A session is only found for the identity that created it, and only during its life: ' +
      'a session created with --new-identity, another identity cache or another machine is not found here either.'
    );
  }
  if (error instanceof LivenessApiError && error.code === 'INVALID_SIGNATURE') {
    return "The signature was refused: check the config's region (it must be the API's) and this machine's clock.";
  }
  if (error instanceof LivenessApiError && error.code === 'CREDENTIALS_EXPIRED') {
    return "The identity pool's credentials had expired: run the command again; if it persists, check this machine's clock.";
  }
  const status = error instanceof LivenessApiError || error instanceof LivenessResponseError ? error.status : undefined;
  if ((status === 401 || status === 403) && !context.signed) {
    return (
      'If this API uses IAM auth, pass --config with the frontend config (authMode "iam", identityPoolId).' +
      " For npm start's local API, leave out --api (it is the default) or name its identity stand-in with LOCAL_COGNITO_PORT."
    );
  }
  if (error instanceof LivenessResponseError && status === 404)
    return 'Check the API URL: it must include the stage, e.g. …/v1/.';
  return undefined;
}

/**
 * The identity routes answer 403 both for credentials IAM does not allow and, with IAM auth, for a route that does
 * not exist (API Gateway cannot tell them apart): a deployment without the `identity` prop has none.
 */
function backendHint(error: unknown, credentials: 'local' | 'environment'): string | undefined {
  const status = error instanceof LivenessApiError || error instanceof LivenessResponseError ? error.status : undefined;
  if (status !== 403 && status !== 404) return undefined;
  return credentials === 'local'
    ? 'The identity routes take only local mode’s app-backend key pair: is this local mode, with identity verification on?'
    : 'The identity routes exist only with the construct’s identity prop, and take only the principal granted with ' +
        'grantIdentityChecks: check that AWS_ACCESS_KEY_ID is that principal’s and the API URL and region are right.';
}

/** A lockout's wait for people: whole minutes, rounded up (Retry-After is in seconds). */
export function lockoutWait(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.ceil(seconds))} second${Math.ceil(seconds) === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** The `error` member of a `--json` answer. */
export function errorJson(error: unknown): Record<string, unknown> {
  if (error instanceof LivenessApiError) {
    return pick({
      kind: error.kind,
      code: error.code,
      status: error.status,
      message: error.message,
      requestId: error.requestId,
      retryable: error.retryable,
      retryAfterSeconds: error.retryAfterSeconds,
    });
  }
  if (error instanceof LivenessResponseError) {
    return pick({
      kind: error.kind,
      status: error.status,
      message: error.message,
      requestId: error.requestId,
      retryable: error.retryable,
    });
  }
  if (error instanceof LivenessTimeoutError) {
    return { kind: error.kind, reason: error.reason, message: error.message, retryable: false };
  }
  if (error instanceof LivenessCredentialsError) {
    return pick({
      kind: error.kind,
      awsErrorType: error.awsErrorType,
      message: error.message,
      retryable: error.retryable,
    });
  }
  if (error instanceof LivenessValidationError)
    return { kind: error.kind, field: error.field, message: error.message, retryable: false };
  if (error instanceof LivenessNetworkError) {
    return { kind: error.kind, message: error.message, timedOut: error.timedOut, retryable: true };
  }
  if (error instanceof LivenessError) return { kind: error.kind, message: error.message, retryable: error.retryable };
  if (error instanceof UsageError) return { kind: 'usage', message: error.message, retryable: false };
  if (error instanceof ConfigError) return { kind: 'config', message: error.message, retryable: false };
  return { kind: 'internal', message: error instanceof Error ? error.message : String(error), retryable: false };
}

function pick(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}
