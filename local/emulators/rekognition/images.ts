/**
 * The reference and audit images the emulator returns: small real JPEGs (a synthetic person's face on a plain
 * background, encoded with jpeg-js), so that code which decodes, stores or compares them sees real image bytes. No
 * person is involved: the face is drawn, and a comment in the file names who it is (people.ts), which the
 * face-matching operations read back.
 */
import { encode } from 'jpeg-js';
import { MAX_IMAGE_BYTES } from './constraints';
import { canvas, drawFace } from './drawing';
import { withJpegComment } from './image-files';
import { facesComment, type CameraSubject } from './people';

import type { BoundingBox } from './bounding-box';

export type { BoundingBox };

export interface EmulatedImage {
  readonly bytes: Buffer;
  readonly boundingBox: BoundingBox;
}

/** Who is in front of the camera and how alike to their other images (undefined: the default 99.5). */
export interface CameraPerson {
  readonly subject: CameraSubject;
  readonly similarity?: number;
}

const WIDTH = 180;
const HEIGHT = 240;
/** Drawn and encoded once per variant and person (at most 5 × 10); the comment is added per image. */
const cache = new Map<string, EmulatedImage>();

/**
 * Variant 0 is the reference image, 1..4 the audit images: the face sits a little differently in each. `person`
 * says whose face it is (`none`: no face at all, for testing a backend's "no face in the liveness image" path).
 */
export function emulatedImage(variant: number, person: CameraPerson = { subject: 'p1' }): EmulatedImage {
  const key = `${variant}:${person.subject}`;
  let image = cache.get(key);
  if (!image) {
    image = draw(variant, person.subject);
    cache.set(key, image);
  }
  const faces =
    person.subject === 'none'
      ? []
      : [
          {
            person: person.subject,
            ...(person.similarity !== undefined && { similarity: person.similarity }),
            boundingBox: image.boundingBox,
          },
        ];
  const bytes = withJpegComment(image.bytes, facesComment(faces));
  if (bytes.length > MAX_IMAGE_BYTES) throw new Error('emulated image exceeds the service limit');
  return { bytes, boundingBox: image.boundingBox };
}

function draw(variant: number, subject: CameraSubject): EmulatedImage {
  const cx = WIDTH / 2 + ((variant * 7) % 15) - 7;
  const cy = HEIGHT * 0.45 + ((variant * 5) % 11) - 5;
  const rx = WIDTH * 0.27;
  const ry = HEIGHT * 0.3;
  const round = (n: number): number => Math.round(n * 10_000) / 10_000;
  const boundingBox = {
    Width: round((2 * rx) / WIDTH),
    Height: round((2 * ry) / HEIGHT),
    Left: round((cx - rx) / WIDTH),
    Top: round((cy - ry) / HEIGHT),
  };
  const picture = canvas(WIDTH, HEIGHT, (_, y) => [150 + Math.round((y / HEIGHT) * 60), 170, 200]);
  if (subject !== 'none') drawFace(picture, boundingBox, subject);
  const jpeg = encode({ width: WIDTH, height: HEIGHT, data: picture.data }, 85);
  return { bytes: jpeg.data, boundingBox };
}
