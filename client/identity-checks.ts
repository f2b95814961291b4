/**
 * Identity checks, for an app's backend (never a browser): open a check for your own subject (POST /identity/checks)
 * and hand its one-time token to your browser, which passes it as `identityCheck` to `createSession`; erase a subject's
 * enrolled face and stored reference photos (DELETE /identity/subjects/{subject}). These routes only accept SigV4 from
 * a principal the construct granted (`grantIdentityChecks`): pass that principal's credentials, as the SDK's
 * credential providers give them.
 */
import {
  IDENTITY_METHODS,
  MAX_IDENTITY_CHECK_BODY_BYTES,
  REFERENCE_PHOTO_LIMITS,
  type EraseSubjectResponse,
  type IdentityMethod,
  type CreateIdentityCheckRequest,
  type CreateIdentityCheckResponse,
  type ReferencePhoto,
} from '../contract/identity';
import { ROUTES } from '../contract/routes';
import { assertSubject, isEraseSubjectResponse, isCreateIdentityCheckResponse } from './contract';
import { LivenessValidationError } from './errors';
import type { RequestOptions } from './liveness-client';
import { createTransport, tryJson, unexpected, type TransportOptions } from './transport';

/** The app backend's credentials sign every call: `credentials` (or a `signer`) is required. */
export type IdentityChecksOptions = TransportOptions;

/**
 * A reference photo as your backend has it: bytes (JPEG or PNG; Rekognition takes 5 MB, the request carries about
 * 4.4 MB as base64) or an S3 object (up to 15 MB) in a bucket and prefix the construct may read.
 */
export type ReferencePhotoInput =
  | { readonly bytes: Uint8Array }
  | { readonly s3Object: { readonly bucket: string; readonly name: string; readonly version?: string } };

export interface OpenIdentityCheckInput {
  /** Your app's id of the user (1–128 of `[A-Za-z0-9_.:-]`); the attestation's `match.subject` echoes it. */
  readonly subject: string;
  /** `reference`: against the photo; `enrol`: enrol the live face; `enrolled`: against the subject's enrolled face. */
  readonly method: IdentityMethod;
  /** Required for `reference`, refused otherwise. */
  readonly referencePhoto?: ReferencePhotoInput;
  /** A stricter similarity threshold than the construct's (never a lower one). @default the construct's */
  readonly threshold?: number;
}

export interface IdentityChecks {
  readonly apiUrl: string;
  /** Opens a check; its `checkToken` is single-use and expires at `expiresAt` unless a session takes it first. */
  openIdentityCheck(input: OpenIdentityCheckInput, options?: RequestOptions): Promise<CreateIdentityCheckResponse>;
  /** Deletes the subject's enrolled face, stored reference photos and open checks; erasing an unknown subject is a no-op. */
  eraseSubject(subject: string, options?: RequestOptions): Promise<EraseSubjectResponse>;
}

export function createIdentityChecks(options: IdentityChecksOptions): IdentityChecks {
  if (options.credentials === undefined && options.signer === undefined) {
    throw new LivenessValidationError(
      'credentials',
      "Identity checks are backend routes (IAM only): pass your app backend's AWS credentials.",
    );
  }
  const { baseUrl, send, fail } = createTransport(options);

  return {
    apiUrl: baseUrl.toString(),
    async openIdentityCheck(input, opts = {}) {
      const body = JSON.stringify(openRequest(input));
      // Base64 is 4/3 of the photo: a synchronous Lambda's payload limit binds before Rekognition's 5 MB does.
      if (body.length > MAX_IDENTITY_CHECK_BODY_BYTES) {
        throw new LivenessValidationError(
          'referencePhoto',
          `The request would be ${body.length} bytes, over the API's ${MAX_IDENTITY_CHECK_BODY_BYTES}: send photos ` +
            'over about 4.4 MB as an S3 object (up to 15 MB).',
        );
      }
      const { response, text, url } = await send(ROUTES.createIdentityCheck, {}, body, opts.signal);
      if (!response.ok) fail(response, text, url);
      const parsed = tryJson(text);
      if (!isCreateIdentityCheckResponse(parsed)) throw unexpected(response, text, url, 'not an identity check');
      return parsed;
    },
    async eraseSubject(subject, opts = {}) {
      assertSubject(subject);
      const { response, text, url } = await send(ROUTES.eraseSubject, { subject }, undefined, opts.signal);
      if (!response.ok) fail(response, text, url);
      const parsed = tryJson(text);
      if (!isEraseSubjectResponse(parsed) || parsed.subject !== subject)
        throw unexpected(response, text, url, 'not an erasure of this subject');
      return parsed;
    },
  };
}

/** The request body, checked here so a mistake is named before a round trip. */
export function openRequest(input: OpenIdentityCheckInput): CreateIdentityCheckRequest {
  assertSubject(input.subject);
  const { method, referencePhoto, threshold } = input;
  if (!(IDENTITY_METHODS as readonly unknown[]).includes(method)) {
    throw new LivenessValidationError('method', `method must be one of: ${IDENTITY_METHODS.join(', ')}.`);
  }
  if (method === 'reference' && referencePhoto === undefined) {
    throw new LivenessValidationError('referencePhoto', 'The reference method needs a referencePhoto.');
  }
  if (method !== 'reference' && referencePhoto !== undefined) {
    throw new LivenessValidationError(
      'referencePhoto',
      `The ${method} method matches the live face against the collection: it takes no referencePhoto.`,
    );
  }
  if (threshold !== undefined && !(typeof threshold === 'number' && threshold >= 0 && threshold <= 100)) {
    throw new LivenessValidationError(
      'threshold',
      'threshold is a similarity from 0 to 100 (99 for identity matching), not a 0–1 ratio.',
    );
  }
  return {
    subject: input.subject,
    method,
    ...(referencePhoto !== undefined && { referencePhoto: photo(referencePhoto) }),
    ...(threshold !== undefined && { threshold }),
  };
}

function photo(input: ReferencePhotoInput): ReferencePhoto {
  if ('s3Object' in input) {
    const { bucket, name, version } = input.s3Object;
    if (typeof bucket !== 'string' || !bucket || typeof name !== 'string' || !name) {
      throw new LivenessValidationError('referencePhoto', 'An S3 reference photo needs a bucket and an object name.');
    }
    return { s3Object: { bucket, name, ...(version !== undefined && { version }) } };
  }
  const { bytes } = input;
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new LivenessValidationError('referencePhoto', 'The reference photo has no bytes.');
  }
  if (bytes.length > REFERENCE_PHOTO_LIMITS.maxBytes) {
    throw new LivenessValidationError(
      'referencePhoto',
      `The reference photo is ${bytes.length} bytes: Rekognition takes at most ${REFERENCE_PHOTO_LIMITS.maxBytes} as bytes (put a larger one in S3, up to 15 MB).`,
    );
  }
  if (!isJpeg(bytes) && !isPng(bytes)) {
    throw new LivenessValidationError('referencePhoto', 'The reference photo must be a JPEG or a PNG.');
  }
  return { bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') };
}

const isJpeg = (b: Uint8Array): boolean => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
const isPng = (b: Uint8Array): boolean =>
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((byte, i) => b[i] === byte);
