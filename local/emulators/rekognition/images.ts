/**
 * The reference and audit images the emulator returns: small real JPEGs (a drawn face on a plain background, encoded
 * with jpeg-js), so that code which decodes, stores or compares them sees real image bytes. No person is involved.
 */
import { encode } from 'jpeg-js';
import { MAX_IMAGE_BYTES } from './constraints';

export interface BoundingBox {
  readonly Width: number;
  readonly Height: number;
  readonly Left: number;
  readonly Top: number;
}

export interface EmulatedImage {
  readonly bytes: Buffer;
  readonly boundingBox: BoundingBox;
}

const WIDTH = 180;
const HEIGHT = 240;
const cache = new Map<number, EmulatedImage>();

/** Variant 0 is the reference image, 1..4 the audit images: the face sits a little differently in each. */
export function emulatedImage(variant: number): EmulatedImage {
  const cached = cache.get(variant);
  if (cached) return cached;
  const image = draw(variant);
  cache.set(variant, image);
  return image;
}

function draw(variant: number): EmulatedImage {
  const cx = WIDTH / 2 + ((variant * 7) % 15) - 7;
  const cy = HEIGHT * 0.45 + ((variant * 5) % 11) - 5;
  const rx = WIDTH * 0.27;
  const ry = HEIGHT * 0.3;
  const data = Buffer.alloc(WIDTH * HEIGHT * 4);
  const inEllipse = (x: number, y: number, ex: number, ey: number, erx: number, ery: number): boolean =>
    ((x - ex) / erx) ** 2 + ((y - ey) / ery) ** 2 <= 1;

  for (let y = 0; y < HEIGHT; y += 1) {
    for (let x = 0; x < WIDTH; x += 1) {
      let rgb: [number, number, number] = [150 + Math.round((y / HEIGHT) * 60), 170, 200];
      if (inEllipse(x, y, cx, cy, rx, ry)) rgb = [224, 182, 150];
      const eyeY = cy - ry * 0.2;
      if (inEllipse(x, y, cx - rx * 0.4, eyeY, 7, 5) || inEllipse(x, y, cx + rx * 0.4, eyeY, 7, 5)) {
        rgb = [50, 40, 40];
      }
      if (Math.abs(y - (cy + ry * 0.45)) < 2.5 && Math.abs(x - cx) < rx * 0.35) rgb = [160, 60, 60];
      const i = (y * WIDTH + x) * 4;
      data[i] = rgb[0];
      data[i + 1] = rgb[1];
      data[i + 2] = rgb[2];
      data[i + 3] = 255;
    }
  }
  const jpeg = encode(
    { width: WIDTH, height: HEIGHT, data, comments: ['Rekognition Face Liveness emulator: synthetic image'] },
    85,
  );
  if (jpeg.data.length > MAX_IMAGE_BYTES) throw new Error('emulated image exceeds the service limit');
  const round = (n: number): number => Math.round(n * 10_000) / 10_000;
  return {
    bytes: jpeg.data,
    boundingBox: {
      Width: round((2 * rx) / WIDTH),
      Height: round((2 * ry) / HEIGHT),
      Left: round((cx - rx) / WIDTH),
      Top: round((cy - ry) / HEIGHT),
    },
  };
}
