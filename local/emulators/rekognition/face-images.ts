/**
 * The `Image` member of the face operations, as the service treats it: `Bytes` (at most 5 MB) or an `S3Object`
 * (at most 15 MB, read from the local S3), JPEG or PNG only, at least 80 pixels each way; and the faces in it, read
 * from the emulator's comment (people.ts). An image without that comment holds one face of an unknown person.
 */
import { AwsError } from './service-errors';
import { faceLayout } from './drawing';
import { readImageInfo } from './image-files';
import type { BoundingBox } from './bounding-box';
import { FacesCommentError, parseFacesComment, unknownKey, type FaceIdentity, type FaceSpec } from './people';
import { checkString, member, serialization, type Violations } from './validate';
import { S3_BUCKET } from './constraints';

/** `Image.Bytes`: at most 5 MB (the model's ImageBlob). */
export const MAX_IMAGE_BLOB_BYTES = 5 * 1024 * 1024;
/** An `Image.S3Object` may be up to 15 MB. */
export const MAX_S3_IMAGE_BYTES = 15 * 1024 * 1024;
/** Smallest width and height the face operations accept. */
export const MIN_IMAGE_PIXELS = 80;
/** Smallest face detected in a 1920 × 1080 image; larger images need proportionally larger faces. */
export const MIN_FACE_PIXELS = 40;

/** Reads an object of the local S3; undefined when the bucket or key does not exist. */
export interface ImageReader {
  read(bucket: string, key: string): Promise<Uint8Array | undefined>;
}

export type ImageInput =
  | { readonly bytes: Uint8Array }
  | { readonly s3Object: { readonly bucket: string; readonly name: string; readonly version?: string } };

type Json = Record<string, unknown>;

/** Checks an `Image` member (`path` is its name in messages, e.g. `sourceImage`); undefined when it is absent. */
export function parseImageMember(body: Json, name: string, path: string, v: Violations): ImageInput | undefined {
  const image = member(body, name, 'object') as Json | undefined;
  if (image === undefined) {
    v.add(undefined, path, 'Member must not be null');
    return undefined;
  }
  const text = member(image, 'Bytes', 'string') as string | undefined;
  const s3 = member(image, 'S3Object', 'object') as Json | undefined;
  if (text !== undefined) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
      throw serialization(`Member '${name}.Bytes' is not valid base64`);
    }
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length < 1) v.add(bytes, `${path}.bytes`, 'Member must have length greater than or equal to 1');
    if (bytes.length > MAX_IMAGE_BLOB_BYTES) {
      v.add(bytes, `${path}.bytes`, `Member must have length less than or equal to ${MAX_IMAGE_BLOB_BYTES}`);
    }
    if (s3 !== undefined) return undefined; // both: refused below, once the constraints are reported
    return { bytes };
  }
  if (s3 === undefined) return undefined;
  const bucket = member(s3, 'Bucket', 'string') as string | undefined;
  const key = member(s3, 'Name', 'string') as string | undefined;
  const version = member(s3, 'Version', 'string') as string | undefined;
  if (bucket !== undefined) checkString(v, bucket, `${path}.s3Object.bucket`, S3_BUCKET);
  if (key !== undefined) checkString(v, key, `${path}.s3Object.name`, { minLength: 1, maxLength: 1024 });
  if (version !== undefined) checkString(v, version, `${path}.s3Object.version`, { minLength: 1, maxLength: 1024 });
  return { s3Object: { bucket: bucket ?? '', name: key ?? '', ...(version !== undefined && { version }) } };
}

/** Resolves a checked image to its bytes: reads the S3 object, with the service's errors. */
export async function imageBytes(input: ImageInput | undefined, reader: ImageReader | undefined): Promise<Uint8Array> {
  if (input === undefined) {
    throw new AwsError(
      'InvalidParameterException',
      'Request has invalid parameters: give one of Image.Bytes and Image.S3Object',
    );
  }
  if ('bytes' in input) return input.bytes;
  const { bucket, name } = input.s3Object;
  const object = bucket === '' || name === '' ? undefined : await reader?.read(bucket, name);
  if (object === undefined) {
    throw new AwsError(
      'InvalidS3ObjectException',
      'Unable to get object metadata from S3. Check object key, region and/or access permissions.',
    );
  }
  if (object.length > MAX_S3_IMAGE_BYTES) {
    throw new AwsError('ImageTooLargeException', `Image size is too large (over ${MAX_S3_IMAGE_BYTES} bytes).`);
  }
  return object;
}

/** A face the emulator "detects": whose it is, where, and how sure it is that this is a face. */
export interface DetectedFace {
  readonly identity: FaceIdentity;
  readonly boundingBox: BoundingBox;
  readonly confidence: number;
}

export interface AnalysedImage {
  readonly width: number;
  readonly height: number;
  /** Largest first. */
  readonly faces: readonly DetectedFace[];
}

/** Format, size and faces of an image, or the error the service gives for it. */
export function analyseImage(bytes: Uint8Array): AnalysedImage {
  const info = readImageInfo(bytes);
  if (!info) throw new AwsError('InvalidImageFormatException', 'Request has invalid image format');
  if (info.width < MIN_IMAGE_PIXELS || info.height < MIN_IMAGE_PIXELS) {
    throw new AwsError(
      'InvalidParameterException',
      `Request has invalid parameters: the image is ${info.width}x${info.height} pixels; the minimum is ${MIN_IMAGE_PIXELS} in each dimension`,
    );
  }
  let specs: FaceSpec[] | undefined;
  try {
    for (const comment of info.comments) {
      specs = parseFacesComment(comment);
      if (specs) break;
    }
  } catch (err) {
    if (err instanceof FacesCommentError) {
      throw new AwsError(
        'InvalidImageFormatException',
        `Request has invalid image format (emulator comment: ${err.message})`,
      );
    }
    throw err;
  }
  const layout = faceLayout(specs?.length ?? 1, info.width, info.height);
  const candidates: DetectedFace[] = specs
    ? specs.map((spec, i) => ({
        identity: {
          kind: 'person',
          person: spec.person,
          ...(spec.similarity !== undefined && { similarity: spec.similarity }),
        },
        boundingBox: spec.boundingBox ?? (layout[i] as BoundingBox),
        confidence: 99.99,
      }))
    : [
        {
          identity: { kind: 'unknown', key: unknownKey(bytes) },
          boundingBox: layout[0] as BoundingBox,
          confidence: 99.9,
        },
      ];
  // A face must be at least 40 px each way at 1920 × 1080; in larger images the minimum grows with the image.
  const scale = Math.max(1, Math.max(info.width, info.height) / 1920);
  const minFace = MIN_FACE_PIXELS * scale;
  const faces = candidates
    .filter((f) => f.boundingBox.Width * info.width >= minFace && f.boundingBox.Height * info.height >= minFace)
    .map((face, order) => ({ face, order }))
    .sort((a, b) => area(b.face) - area(a.face) || a.order - b.order)
    .map(({ face }) => face);
  return { width: info.width, height: info.height, faces };
}

const area = (face: DetectedFace): number => face.boundingBox.Width * face.boundingBox.Height;

/** The face details every operation returns for a detected face (no attributes beyond the DEFAULT set). */
export function faceDetail(face: DetectedFace): Record<string, unknown> {
  const { Left, Top, Width, Height } = face.boundingBox;
  const at = (x: number, y: number): { X: number; Y: number } => ({
    X: Math.round((Left + Width * x) * 10_000) / 10_000,
    Y: Math.round((Top + Height * y) * 10_000) / 10_000,
  });
  return {
    BoundingBox: face.boundingBox,
    Confidence: face.confidence,
    Landmarks: [
      { Type: 'eyeLeft', ...at(0.33, 0.4) },
      { Type: 'eyeRight', ...at(0.67, 0.4) },
      { Type: 'mouthLeft', ...at(0.38, 0.72) },
      { Type: 'mouthRight', ...at(0.62, 0.72) },
      { Type: 'nose', ...at(0.5, 0.56) },
    ],
    Pose: { Roll: 0, Yaw: 0, Pitch: 0 },
    Quality: { Brightness: 80, Sharpness: 90 },
  };
}
