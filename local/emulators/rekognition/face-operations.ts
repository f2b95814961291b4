/**
 * The face-matching operations an identity check uses, over AWS JSON 1.1 like the liveness ones: CompareFaces,
 * DetectFaces, CreateCollection, DeleteCollection, DescribeCollection, IndexFaces, SearchFacesByImage, DeleteFaces and ListFaces.
 * Member names, limits and exceptions are those of the service model (@aws-sdk/client-rekognition); who is in an
 * image comes from the image's emulator comment (people.ts), and similarities from similarityOf().
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from './service-errors';
import { FACE_MODEL_VERSION, type FaceCollections, type StoredFace } from './collections';
import {
  analyseImage,
  faceDetail,
  imageBytes,
  parseImageMember,
  type DetectedFace,
  type ImageInput,
  type ImageReader,
} from './face-images';
import { similarityOf } from './people';
import type { FaceOperation } from './operations';
import { checkString, member, Violations, type ValidationErrorType } from './validate';

type Json = Record<string, unknown>;

export const COLLECTION_ID = { minLength: 1, maxLength: 255, pattern: /^[a-zA-Z0-9_.-]+$/ } as const;
export const EXTERNAL_IMAGE_ID = { minLength: 1, maxLength: 255, pattern: /^[a-zA-Z0-9_.\-:]+$/ } as const;
export const USER_ID = { minLength: 1, maxLength: 128, pattern: /^[a-zA-Z0-9_.\-:]+$/ } as const;
export const FACE_ID = { pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/ } as const;
export const QUALITY_FILTERS = ['NONE', 'AUTO', 'LOW', 'MEDIUM', 'HIGH'] as const;
export const DETECTION_ATTRIBUTES = [
  'DEFAULT',
  'ALL',
  'AGE_RANGE',
  'BEARD',
  'EMOTIONS',
  'EYE_DIRECTION',
  'EYEGLASSES',
  'EYES_OPEN',
  'GENDER',
  'MOUTH_OPEN',
  'MUSTACHE',
  'FACE_OCCLUDED',
  'SMILE',
  'SUNGLASSES',
] as const;
/** Largest FaceIds list (DeleteFaces, ListFaces), SearchFacesByImage MaxFaces and ListFaces MaxResults. */
export const MAX_FACES_PER_CALL = 4096;
/** The service's threshold when the caller gives none (CompareFaces SimilarityThreshold, FaceMatchThreshold). */
export const DEFAULT_MATCH_THRESHOLD = 80;
/** IndexFaces indexes at most the 100 largest faces; CompareFaces compares at most 100 target faces. */
const MAX_FACES_IN_IMAGE = 100;
const DEFAULT_LIST_PAGE = 1000;
const TAG_KEY = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export interface FaceOperationDeps {
  readonly collections: FaceCollections;
  /** Reads `S3Object` images; without one every S3Object is an InvalidS3ObjectException. */
  readonly reader?: ImageReader;
  readonly errorType: ValidationErrorType;
}

function collectionIdOf(body: Json, v: Violations): string {
  const id = member(body, 'CollectionId', 'string') as string | undefined;
  if (id === undefined) v.add(undefined, 'collectionId', 'Member must not be null');
  else checkString(v, id, 'collectionId', COLLECTION_ID);
  return id ?? '';
}

function percentOf(body: Json, name: string, path: string, v: Violations): number | undefined {
  const value = member(body, name, 'number') as number | undefined;
  if (value === undefined) return undefined;
  if (value < 0) v.add(value, path, 'Member must have value greater than or equal to 0');
  if (value > 100) v.add(value, path, 'Member must have value less than or equal to 100');
  return value;
}

function integerOf(
  body: Json,
  name: string,
  path: string,
  v: Violations,
  min: number,
  max?: number,
): number | undefined {
  const value = member(body, name, 'number') as number | undefined;
  if (value === undefined) return undefined;
  if (!Number.isInteger(value)) v.add(value, path, 'Member must be an integer');
  else if (value < min) v.add(value, path, `Member must have value greater than or equal to ${min}`);
  else if (max !== undefined && value > max) v.add(value, path, `Member must have value less than or equal to ${max}`);
  return value;
}

function enumOf(body: Json, name: string, path: string, values: readonly string[], v: Violations): void {
  const value = member(body, name, 'string') as string | undefined;
  if (value !== undefined && !values.includes(value)) {
    v.add(value, path, `Member must satisfy enum value set: [${values.join(', ')}]`);
  }
}

function faceIdsOf(body: Json, path: string, v: Violations, required: boolean): string[] | undefined {
  const list = member(body, 'FaceIds', 'array') as unknown[] | undefined;
  if (list === undefined) {
    if (required) v.add(undefined, path, 'Member must not be null');
    return undefined;
  }
  if (list.length < 1) v.add(list, path, 'Member must have length greater than or equal to 1');
  if (list.length > MAX_FACES_PER_CALL) {
    v.add(list, path, `Member must have length less than or equal to ${MAX_FACES_PER_CALL}`);
  }
  return list.map((item, i) => {
    if (typeof item !== 'string') throw new AwsError('SerializationException', 'Each FaceIds item must be a string');
    checkString(v, item, `${path}.${i + 1}.member`, FACE_ID);
    return item;
  });
}

/** The Face structure of a stored face (ListFaces, SearchFacesByImage, IndexFaces). */
function faceOf(face: StoredFace): Json {
  return {
    FaceId: face.faceId,
    BoundingBox: face.boundingBox,
    ImageId: face.imageId,
    ...(face.externalImageId !== undefined && { ExternalImageId: face.externalImageId }),
    Confidence: face.confidence,
    IndexFacesModelVersion: FACE_MODEL_VERSION,
  };
}

async function facesOf(input: ImageInput | undefined, deps: FaceOperationDeps): Promise<readonly DetectedFace[]> {
  return analyseImage(await imageBytes(input, deps.reader)).faces;
}

const NO_FACES = 'There are no faces in the image. Should be at least 1.';

async function compareFaces(body: Json, deps: FaceOperationDeps): Promise<Json> {
  const v = new Violations();
  const source = parseImageMember(body, 'SourceImage', 'sourceImage', v);
  const target = parseImageMember(body, 'TargetImage', 'targetImage', v);
  const threshold = percentOf(body, 'SimilarityThreshold', 'similarityThreshold', v) ?? DEFAULT_MATCH_THRESHOLD;
  enumOf(body, 'QualityFilter', 'qualityFilter', QUALITY_FILTERS, v);
  v.throwIfAny(deps.errorType);
  const sourceFaces = await facesOf(source, deps);
  const sourceFace = sourceFaces[0];
  if (!sourceFace) throw new AwsError('InvalidParameterException', NO_FACES);
  // The API reference: "If no faces are detected in the source or target images, CompareFaces returns an
  // InvalidParameterException error" (the same message for either image).
  const targetFaces = (await facesOf(target, deps)).slice(0, MAX_FACES_IN_IMAGE);
  if (targetFaces.length === 0) throw new AwsError('InvalidParameterException', NO_FACES);
  const compared = targetFaces.map((face) => ({ face, similarity: similarityOf(sourceFace.identity, face.identity) }));
  return {
    SourceImageFace: { BoundingBox: sourceFace.boundingBox, Confidence: sourceFace.confidence },
    FaceMatches: compared
      .filter((c) => c.similarity >= threshold)
      .sort((a, b) => b.similarity - a.similarity)
      .map((c) => ({ Similarity: c.similarity, Face: faceDetail(c.face) })),
    UnmatchedFaces: compared.filter((c) => c.similarity < threshold).map((c) => faceDetail(c.face)),
  };
}

async function detectFaces(body: Json, deps: FaceOperationDeps): Promise<Json> {
  const v = new Violations();
  const image = parseImageMember(body, 'Image', 'image', v);
  const attributes = member(body, 'Attributes', 'array') as unknown[] | undefined;
  checkAttributes(attributes, 'attributes', v);
  v.throwIfAny(deps.errorType);
  // An image without a face is no error here: an empty list, largest face first otherwise.
  const faces = (await facesOf(image, deps)).slice(0, MAX_FACES_IN_IMAGE);
  return { FaceDetails: faces.map(faceDetail) };
}

function checkAttributes(attributes: unknown[] | undefined, path: string, v: Violations): void {
  (attributes ?? []).forEach((attribute, i) => {
    if (typeof attribute !== 'string' || !(DETECTION_ATTRIBUTES as readonly string[]).includes(attribute)) {
      v.add(
        attribute,
        `${path}.${i + 1}.member`,
        `Member must satisfy enum value set: [${DETECTION_ATTRIBUTES.join(', ')}]`,
      );
    }
  });
}

function createCollection(body: Json, region: string, deps: FaceOperationDeps): Json {
  const v = new Violations();
  const id = collectionIdOf(body, v);
  const tags = (member(body, 'Tags', 'object') as Json | undefined) ?? {};
  const entries = Object.entries(tags);
  if (entries.length > 200) v.add(tags, 'tags', 'Member must have length less than or equal to 200');
  for (const [key, value] of entries) {
    if (typeof value !== 'string') throw new AwsError('SerializationException', 'Each Tags value must be a string');
    checkString(v, key, 'tags.key', { minLength: 1, maxLength: 128, pattern: TAG_KEY });
    checkString(v, value, 'tags.value', { minLength: 0, maxLength: 256, pattern: TAG_VALUE });
  }
  v.throwIfAny(deps.errorType);
  const collection = deps.collections.create(region, id, tags as Record<string, string>);
  return { StatusCode: 200, CollectionArn: collection.arn, FaceModelVersion: FACE_MODEL_VERSION };
}

function deleteCollection(body: Json, region: string, deps: FaceOperationDeps): Json {
  const v = new Violations();
  const id = collectionIdOf(body, v);
  v.throwIfAny(deps.errorType);
  deps.collections.delete(region, id);
  return { StatusCode: 200 };
}

function describeCollection(body: Json, region: string, deps: FaceOperationDeps): Json {
  const v = new Violations();
  const id = collectionIdOf(body, v);
  v.throwIfAny(deps.errorType);
  const collection = deps.collections.get(region, id);
  return {
    FaceCount: collection.faces.size,
    FaceModelVersion: FACE_MODEL_VERSION,
    CollectionARN: collection.arn,
    // AWS JSON timestamps are seconds since the epoch.
    CreationTimestamp: collection.createdAt / 1000,
    UserCount: 0,
  };
}

async function indexFaces(body: Json, region: string, deps: FaceOperationDeps): Promise<Json> {
  const v = new Violations();
  const id = collectionIdOf(body, v);
  const image = parseImageMember(body, 'Image', 'image', v);
  const externalImageId = member(body, 'ExternalImageId', 'string') as string | undefined;
  if (externalImageId !== undefined) checkString(v, externalImageId, 'externalImageId', EXTERNAL_IMAGE_ID);
  checkAttributes(member(body, 'DetectionAttributes', 'array') as unknown[] | undefined, 'detectionAttributes', v);
  const maxFaces = integerOf(body, 'MaxFaces', 'maxFaces', v, 1);
  enumOf(body, 'QualityFilter', 'qualityFilter', QUALITY_FILTERS, v);
  v.throwIfAny(deps.errorType);
  const collection = deps.collections.get(region, id);
  const faces = (await facesOf(image, deps)).slice(0, MAX_FACES_IN_IMAGE);
  const indexed = faces.slice(0, maxFaces ?? MAX_FACES_IN_IMAGE);
  const skipped = faces.slice(indexed.length);
  const imageId = randomUUID();
  return {
    FaceRecords: indexed.map((face) => {
      const stored = deps.collections.addFace(
        collection,
        {
          boundingBox: face.boundingBox,
          confidence: face.confidence,
          identity: face.identity,
          ...(externalImageId !== undefined && { externalImageId }),
        },
        imageId,
      );
      return { Face: faceOf(stored), FaceDetail: faceDetail(face) };
    }),
    FaceModelVersion: FACE_MODEL_VERSION,
    UnindexedFaces: skipped.map((face) => ({ Reasons: ['EXCEEDS_MAX_FACES'], FaceDetail: faceDetail(face) })),
  };
}

async function searchFacesByImage(body: Json, region: string, deps: FaceOperationDeps): Promise<Json> {
  const v = new Violations();
  const id = collectionIdOf(body, v);
  const image = parseImageMember(body, 'Image', 'image', v);
  const maxFaces = integerOf(body, 'MaxFaces', 'maxFaces', v, 1, MAX_FACES_PER_CALL);
  const threshold = percentOf(body, 'FaceMatchThreshold', 'faceMatchThreshold', v) ?? DEFAULT_MATCH_THRESHOLD;
  enumOf(body, 'QualityFilter', 'qualityFilter', QUALITY_FILTERS, v);
  v.throwIfAny(deps.errorType);
  const collection = deps.collections.get(region, id);
  const searched = (await facesOf(image, deps))[0];
  if (!searched) throw new AwsError('InvalidParameterException', NO_FACES);
  const matches = [...collection.faces.values()]
    .map((face) => ({ face, similarity: similarityOf(searched.identity, face.identity) }))
    .filter((m) => m.similarity >= threshold)
    .sort((a, b) => b.similarity - a.similarity || a.face.seq - b.face.seq)
    .slice(0, maxFaces ?? MAX_FACES_PER_CALL);
  return {
    SearchedFaceBoundingBox: searched.boundingBox,
    SearchedFaceConfidence: searched.confidence,
    FaceMatches: matches.map((m) => ({ Similarity: m.similarity, Face: faceOf(m.face) })),
    FaceModelVersion: FACE_MODEL_VERSION,
  };
}

function deleteFaces(body: Json, region: string, deps: FaceOperationDeps): Json {
  const v = new Violations();
  const id = collectionIdOf(body, v);
  const faceIds = faceIdsOf(body, 'faceIds', v, true) ?? [];
  v.throwIfAny(deps.errorType);
  const collection = deps.collections.get(region, id);
  const deleted: string[] = [];
  const missing: string[] = [];
  for (const faceId of new Set(faceIds)) {
    if (collection.faces.delete(faceId)) deleted.push(faceId);
    else missing.push(faceId);
  }
  return {
    DeletedFaces: deleted,
    ...(missing.length > 0 && {
      UnsuccessfulFaceDeletions: missing.map((faceId) => ({ FaceId: faceId, Reasons: ['FACE_NOT_FOUND'] })),
    }),
  };
}

function listFaces(body: Json, region: string, deps: FaceOperationDeps): Json {
  const v = new Violations();
  const id = collectionIdOf(body, v);
  const token = member(body, 'NextToken', 'string') as string | undefined;
  if (token !== undefined) checkString(v, token, 'nextToken', { maxLength: 255 });
  const maxResults = integerOf(body, 'MaxResults', 'maxResults', v, 0, MAX_FACES_PER_CALL);
  const userId = member(body, 'UserId', 'string') as string | undefined;
  if (userId !== undefined) checkString(v, userId, 'userId', USER_ID);
  const faceIds = faceIdsOf(body, 'faceIds', v, false);
  v.throwIfAny(deps.errorType);
  const collection = deps.collections.get(region, id);
  let after = 0;
  if (token !== undefined) {
    const m = /^([0-9]+)\.([A-Za-z0-9_.-]+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!m || m[2] !== collection.id) {
      throw new AwsError('InvalidPaginationTokenException', 'Invalid pagination token');
    }
    after = Number(m[1]);
  }
  const wanted = faceIds === undefined ? undefined : new Set(faceIds);
  const page = maxResults === undefined || maxResults === 0 ? DEFAULT_LIST_PAGE : maxResults;
  const faces = [...collection.faces.values()]
    .filter((f) => f.seq > after && (wanted === undefined || wanted.has(f.faceId)))
    // The emulator keeps no user vectors: no face belongs to a UserId.
    .filter(() => userId === undefined)
    .sort((a, b) => a.seq - b.seq);
  const shown = faces.slice(0, page);
  const last = shown[shown.length - 1];
  return {
    Faces: shown.map(faceOf),
    ...(faces.length > page &&
      last && { NextToken: Buffer.from(`${last.seq}.${collection.id}`).toString('base64url') }),
    FaceModelVersion: FACE_MODEL_VERSION,
  };
}

/** Runs one face operation on a request body already read as a JSON object; region is the call's SigV4 scope. */
export async function runFaceOperation(
  operation: FaceOperation,
  body: Json,
  region: string,
  deps: FaceOperationDeps,
): Promise<Json> {
  switch (operation) {
    case 'CompareFaces':
      return compareFaces(body, deps);
    case 'DetectFaces':
      return detectFaces(body, deps);
    case 'CreateCollection':
      return createCollection(body, region, deps);
    case 'DeleteCollection':
      return deleteCollection(body, region, deps);
    case 'DescribeCollection':
      return describeCollection(body, region, deps);
    case 'IndexFaces':
      return indexFaces(body, region, deps);
    case 'SearchFacesByImage':
      return searchFacesByImage(body, region, deps);
    case 'DeleteFaces':
      return deleteFaces(body, region, deps);
    case 'ListFaces':
      return listFaces(body, region, deps);
  }
}
