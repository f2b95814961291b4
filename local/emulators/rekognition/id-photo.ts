/**
 * ID-photo images of the synthetic people, for tests, docs and the example: `idPhoto({ faces: ['p1'] })` is p1's
 * photo, `[]` a photo with no face, `['p1', 'p2']` two faces. The emulator's face operations read who is in it from
 * the comment it carries (people.ts), so the same person matches the liveness reference images of that person.
 */
import { encode } from 'jpeg-js';
import { canvas, drawFace, faceLayout } from './drawing';
import { encodePng, withJpegComment } from './image-files';
import type { BoundingBox } from './bounding-box';
import { facesComment, PERSON_IDS, type PersonId } from './people';

export interface IdPhotoFace {
  readonly person: PersonId;
  /** 0..100: what this face scores against the person's other images. @default 99.5 */
  readonly similarity?: number;
}

export interface IdPhotoOptions {
  /** Who is in the photo, largest face first: `['p1']`, `[]` (nobody), `['p1', 'p2']`. */
  readonly faces: readonly (PersonId | IdPhotoFace)[];
  /** Pixels, 1..4096. Below 80 in either dimension the emulator refuses the image, as the service does. @default 240 */
  readonly width?: number;
  /** Pixels, 1..4096. @default 320 */
  readonly height?: number;
  /** @default 'jpeg' */
  readonly format?: 'jpeg' | 'png';
}

function dimension(value: number | undefined, fallback: number, name: string): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > 4096)
    throw new RangeError(`idPhoto: ${name} must be an integer from 1 to 4096`);
  return n;
}

/** Encoding is the slow part (jpeg-js: about 0.5 µs a pixel), and tests ask for the same few photos again and again. */
const cache = new Map<string, Buffer>();
const CACHED_PHOTOS = 64;

/** A JPEG (or PNG) ID photo of the given synthetic people (a fresh copy each call). */
export function idPhoto(options: IdPhotoOptions): Buffer {
  const width = dimension(options.width, 240, 'width');
  const height = dimension(options.height, 320, 'height');
  const faces: IdPhotoFace[] = options.faces.map((face) => (typeof face === 'string' ? { person: face } : face));
  for (const face of faces) {
    if (!(PERSON_IDS as readonly string[]).includes(face.person)) {
      throw new RangeError(`idPhoto: person must be one of ${PERSON_IDS.join(', ')}, got ${String(face.person)}`);
    }
    if (face.similarity !== undefined && !(face.similarity >= 0 && face.similarity <= 100)) {
      throw new RangeError('idPhoto: similarity must be a number from 0 to 100');
    }
  }
  const key = JSON.stringify([width, height, options.format ?? 'jpeg', faces]);
  const cached = cache.get(key);
  if (cached) return Buffer.from(cached);
  const photo = draw(faces, width, height, options.format ?? 'jpeg');
  if (cache.size >= CACHED_PHOTOS) cache.delete(cache.keys().next().value as string);
  cache.set(key, photo);
  return Buffer.from(photo);
}

function draw(faces: readonly IdPhotoFace[], width: number, height: number, format: 'jpeg' | 'png'): Buffer {
  const boxes = faceLayout(faces.length, width, height);
  // A pale card with a darker band at the top, as ID photos are taken against a plain backdrop.
  const picture = canvas(width, height, (_, y) => (y < height * 0.06 ? [70, 90, 130] : [228, 232, 238]));
  for (const [i, face] of faces.entries()) drawFace(picture, boxes[i] as BoundingBox, face.person);
  const comment = facesComment(faces.map((face, i) => ({ ...face, boundingBox: boxes[i] })));
  if (format === 'png') return encodePng(width, height, picture.data, comment);
  return withJpegComment(encode({ width, height, data: picture.data }, 90).data, comment);
}
