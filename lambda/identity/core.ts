/**
 * The identity function, called by an app's backend only (IAM): POST /identity/checks opens an identity check for a
 * subject and returns its one-time token; DELETE /identity/subjects/{subject} erases a subject's enrolled face, its
 * stored reference photos and its open checks. The matching itself happens in the result function, with the verdict
 * (lambda/get-result/identity-match.ts).
 */
import type {
  CreateIdentityCheckRequest,
  CreateIdentityCheckResponse,
  EraseSubjectResponse,
  IdentityMethod,
  ReferencePhoto,
} from '../../contract/identity';
import {
  IDENTITY_METHODS,
  REFERENCE_PHOTO_KEY_PREFIX,
  REFERENCE_PHOTO_LIMITS,
  SIMILARITY_RANGE,
  SUBJECT,
  isSubject,
} from '../../contract/identity';
import type { HandlerConfig, IdentityConfig } from '../shared/config';
import { ApiError } from '../shared/errors';
import { checkIdOf, subjectRefOf, type IdentityRecords } from '../shared/identity-records';

const FIELDS = ['subject', 'method', 'referencePhoto', 'threshold'];

/** The reference photo as the handler got it: decoded bytes, or an S3 object. */
export type ParsedReferencePhoto =
  | { readonly bytes: Buffer }
  | { readonly s3Object: { readonly bucket: string; readonly name: string; readonly version?: string } };

export interface ParsedCheckRequest extends Omit<CreateIdentityCheckRequest, 'referencePhoto'> {
  readonly referencePhoto?: ParsedReferencePhoto;
}

/** Checks the body, naming every problem in one message. */
export function parseCreateCheckRequest(body: unknown, identity: IdentityConfig): ParsedCheckRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError('VALIDATION_ERROR', 'The request body must be a JSON object with subject and method.');
  }
  const input = body as Record<string, unknown>;
  const problems: string[] = [];
  const unknown = Object.keys(input).filter((key) => !FIELDS.includes(key));
  for (const key of unknown.slice(0, 5)) problems.push(`unknown field ${JSON.stringify(key.slice(0, 40))}`);
  if (unknown.length > 0) problems.push(`allowed fields are ${FIELDS.join(', ')}`);
  const { subject, method, referencePhoto, threshold } = input;
  if (!isSubject(subject))
    problems.push(`subject must be ${SUBJECT.minLength} to ${SUBJECT.maxLength} characters of A-Z, a-z, 0-9, _ . : -`);
  const methodOk = (IDENTITY_METHODS as readonly unknown[]).includes(method);
  if (!methodOk) problems.push(`method must be one of ${IDENTITY_METHODS.join(', ')}`);
  if (methodOk && method !== 'reference' && identity.collectionId === undefined)
    problems.push(`method ${String(method)} needs enrolment, which this backend has turned off`);
  if (threshold !== undefined) {
    if (typeof threshold !== 'number' || !(threshold >= SIMILARITY_RANGE.min && threshold <= SIMILARITY_RANGE.max))
      problems.push(`threshold must be a number from ${SIMILARITY_RANGE.min} to ${SIMILARITY_RANGE.max}`);
    else if (threshold < identity.similarityThreshold)
      problems.push(`threshold must not be below this backend's similarity threshold, ${identity.similarityThreshold}`);
  }
  let photo: ParsedReferencePhoto | undefined;
  if (method === 'reference' && referencePhoto === undefined)
    problems.push('referencePhoto is required for method reference');
  if (methodOk && method !== 'reference' && referencePhoto !== undefined)
    problems.push(`referencePhoto is only for method reference, not ${String(method)}`);
  if (method === 'reference' && referencePhoto !== undefined) photo = parsePhoto(referencePhoto, problems);
  if (problems.length > 0) throw new ApiError('VALIDATION_ERROR', `Invalid request body: ${problems.join('; ')}.`);
  return {
    subject: subject as string,
    method: method as IdentityMethod,
    ...(photo !== undefined && { referencePhoto: photo }),
    ...(threshold !== undefined && { threshold: threshold as number }),
  };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
// Rekognition's S3 rules: bucket names, object names of 1–1024 characters, versions of 1–1024.
const BUCKET = /^[0-9A-Za-z.\-_]{3,255}$/;

function parsePhoto(value: unknown, problems: string[]): ParsedReferencePhoto | undefined {
  const photo = value as Partial<Record<keyof ReferencePhoto | string, unknown>> | null;
  const keys = typeof photo === 'object' && photo !== null && !Array.isArray(photo) ? Object.keys(photo) : [];
  if (keys.length !== 1 || !(keys[0] === 'bytes' || keys[0] === 's3Object')) {
    problems.push('referencePhoto must be { bytes } or { s3Object: { bucket, name, version? } }');
    return undefined;
  }
  if (keys[0] === 'bytes') {
    const text = (photo as { bytes: unknown }).bytes;
    if (typeof text !== 'string' || text.length === 0 || !BASE64.test(text)) {
      problems.push('referencePhoto.bytes must be base64');
      return undefined;
    }
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length > REFERENCE_PHOTO_LIMITS.maxBytes) {
      problems.push(`referencePhoto.bytes must be at most ${REFERENCE_PHOTO_LIMITS.maxBytes} bytes decoded`);
      return undefined;
    }
    if (!isJpeg(bytes) && !isPng(bytes)) {
      problems.push('referencePhoto.bytes must be a JPEG or PNG image');
      return undefined;
    }
    return { bytes };
  }
  const object = (photo as { s3Object: unknown }).s3Object as Record<string, unknown> | null;
  const extra =
    typeof object === 'object' && object !== null
      ? Object.keys(object).filter((k) => !['bucket', 'name', 'version'].includes(k))
      : [];
  if (
    typeof object !== 'object' ||
    object === null ||
    extra.length > 0 ||
    typeof object.bucket !== 'string' ||
    !BUCKET.test(object.bucket) ||
    typeof object.name !== 'string' ||
    object.name.length < 1 ||
    object.name.length > 1024 ||
    (object.version !== undefined &&
      (typeof object.version !== 'string' || object.version.length < 1 || object.version.length > 1024))
  ) {
    problems.push(
      'referencePhoto.s3Object must be { bucket: a bucket name, name: 1–1024 characters, version?: 1–1024 characters }',
    );
    return undefined;
  }
  return {
    s3Object: {
      bucket: object.bucket,
      name: object.name,
      ...(typeof object.version === 'string' && { version: object.version }),
    },
  };
}

const isJpeg = (b: Buffer) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
const isPng = (b: Buffer) =>
  b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

/** The subject of DELETE /identity/subjects/{subject}. */
export function parseSubject(pathParameters: Readonly<Record<string, string | undefined>> | null | undefined): string {
  const subject = pathParameters?.subject;
  if (!isSubject(subject))
    throw new ApiError(
      'VALIDATION_ERROR',
      `subject must be ${SUBJECT.minLength} to ${SUBJECT.maxLength} characters of A-Z, a-z, 0-9, _ . : -`,
    );
  return subject;
}

/** The S3 calls of the identity function: only under the reference-photo prefix of the image bucket. */
export interface PhotoStore {
  put(key: string, bytes: Buffer): Promise<void>;
  delete(key: string): Promise<void>;
}

/** The Rekognition call of erasure. */
export interface FaceEraser {
  deleteFaces(collectionId: string, faceIds: readonly string[]): Promise<number>;
}

export interface IdentityDeps {
  readonly records: IdentityRecords;
  readonly photos: PhotoStore;
  readonly faces: FaceEraser;
  readonly config: Pick<HandlerConfig, 'imageBucket' | 'ownerRefKey'> & { readonly identity: IdentityConfig };
  /** Epoch ms. */
  readonly now: () => number;
  readonly newToken: () => string;
}

/** How long a decided-on check may wait for its result read before TTL deletion (its photo goes with it). */
const UNREAD_CHECK_RETENTION_SECONDS = 86_400;

export async function createIdentityCheck(
  input: ParsedCheckRequest,
  deps: IdentityDeps,
): Promise<CreateIdentityCheckResponse> {
  const { identity } = deps.config;
  const token = deps.newToken();
  const checkId = checkIdOf(token);
  const subjectRef = subjectRefOf(input.subject, deps.config.ownerRefKey);
  const now = deps.now();
  const expiresAt = Math.floor(now / 1000) + identity.checkTtlSeconds;
  let photo: { bucket: string; name: string; version?: string; stored: boolean } | undefined;
  const given = input.referencePhoto;
  if (given !== undefined && 's3Object' in given) {
    const { bucket, name } = given.s3Object;
    const allowed = identity.referencePhotoSources.some((s) => s.bucket === bucket && name.startsWith(s.prefix));
    if (!allowed)
      throw new ApiError(
        'REFERENCE_PHOTO_NOT_ALLOWED',
        'The reference photo must be in a bucket and prefix this backend was configured to read (referencePhotoSources).',
      );
    photo = { ...given.s3Object, stored: false };
  } else if (given !== undefined) {
    if (deps.config.imageBucket === undefined)
      throw new ApiError('BACKEND_MISCONFIGURED', undefined, {
        detail: 'A reference photo sent as bytes needs the image bucket (storeImages)',
      });
    const key = `${REFERENCE_PHOTO_KEY_PREFIX}${subjectRef}/${checkId}`;
    await deps.photos.put(key, given.bytes);
    photo = { bucket: deps.config.imageBucket, name: key, stored: true };
  }
  await deps.records.putCheck({
    checkId,
    subject: input.subject,
    subjectRef,
    method: input.method,
    threshold: input.threshold ?? identity.similarityThreshold,
    ...(photo !== undefined && { photo }),
    createdAt: new Date(now).toISOString(),
    expiresAt,
    deleteAfterSeconds: expiresAt + UNREAD_CHECK_RETENTION_SECONDS,
  });
  return { checkToken: token, expiresAt: new Date(expiresAt * 1000).toISOString() };
}

export async function eraseSubject(subject: string, deps: IdentityDeps): Promise<EraseSubjectResponse> {
  const subjectRef = subjectRefOf(subject, deps.config.ownerRefKey);
  const found = await deps.records.getSubject(subjectRef);
  let facesDeleted = 0;
  let referencePhotosDeleted = 0;
  const { collectionId } = deps.config.identity;
  if (found !== undefined && found.faceIds.length > 0 && collectionId !== undefined)
    facesDeleted = await deps.faces.deleteFaces(collectionId, found.faceIds);
  for (const checkId of found?.checks ?? []) {
    const check = await deps.records.deleteCheck(checkId, { returnOld: true });
    if (check?.photo?.stored === true) {
      await deps.photos.delete(check.photo.name);
      referencePhotosDeleted++;
    }
  }
  await deps.records.deleteSubject(subjectRef);
  return { subject, facesDeleted, referencePhotosDeleted };
}
