/** Drawing the synthetic people into RGBA pixel data: one face fills its bounding box; where faces sit in a photo. */
import type { BoundingBox } from './bounding-box';
import { appearanceOf, type PersonId } from './people';

export type Rgb = readonly [number, number, number];

export interface Canvas {
  readonly width: number;
  readonly height: number;
  readonly data: Buffer;
}

export function canvas(width: number, height: number, background: (x: number, y: number) => Rgb): Canvas {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const [r, g, b] = background(x, y);
      const i = (y * width + x) * 4;
      data[i] = r;
      data[i + 1] = g;
      data[i + 2] = b;
      data[i + 3] = 255;
    }
  }
  return { width, height, data };
}

/** Draws `person`'s face filling `box` (ratios of the canvas): hair, face, eyes and mouth in the person's own way. */
export function drawFace(target: Canvas, box: BoundingBox, person: PersonId): void {
  const look = appearanceOf(person);
  const { width, height, data } = target;
  const rx = (box.Width * width) / 2;
  const ry = (box.Height * height) / 2;
  const cx = box.Left * width + rx;
  const cy = box.Top * height + ry;
  const inEllipse = (x: number, y: number, ex: number, ey: number, erx: number, ery: number): boolean =>
    ((x - ex) / erx) ** 2 + ((y - ey) / ery) ** 2 <= 1;
  const eyeY = cy - ry * 0.2;
  const eyeRx = Math.max(1.5, rx * 0.12);
  const eyeRy = Math.max(1.2, ry * 0.06);
  const mouthY = cy + ry * 0.45;
  const x0 = Math.max(0, Math.floor(cx - rx));
  const x1 = Math.min(width - 1, Math.ceil(cx + rx));
  const y0 = Math.max(0, Math.floor(cy - ry));
  const y1 = Math.min(height - 1, Math.ceil(cy + ry));
  for (let y = y0; y <= y1; y += 1) {
    for (let x = x0; x <= x1; x += 1) {
      if (!inEllipse(x, y, cx, cy, rx, ry)) continue;
      let rgb: Rgb = y < cy - ry * 0.62 ? look.hair : look.skin;
      if (
        inEllipse(x, y, cx - rx * look.eyeSpacing, eyeY, eyeRx, eyeRy) ||
        inEllipse(x, y, cx + rx * look.eyeSpacing, eyeY, eyeRx, eyeRy)
      ) {
        rgb = [50, 40, 40];
      }
      if (Math.abs(y - mouthY) < Math.max(1.5, ry * 0.025) && Math.abs(x - cx) < rx * look.mouthWidth) {
        rgb = [160, 60, 60];
      }
      const i = (y * width + x) * 4;
      data[i] = rgb[0];
      data[i + 1] = rgb[1];
      data[i + 2] = rgb[2];
    }
  }
}

const round = (n: number): number => Math.round(n * 10_000) / 10_000;

/**
 * Where `count` faces sit in a width × height photo: side by side, the first one the largest (Rekognition compares the
 * largest face of a source image), each about 1.3 times as high as it is wide.
 */
export function faceLayout(count: number, width: number, height: number): BoundingBox[] {
  const cell = 1 / Math.max(1, count);
  return Array.from({ length: count }, (_, i) => {
    const w = cell * (i === 0 ? 0.8 : 0.62);
    const h = Math.min(0.8, (w * width * 1.3) / height);
    const wFit = (h * height) / 1.3 / width;
    const faceWidth = Math.min(w, wFit);
    return {
      Width: round(faceWidth),
      Height: round(h),
      Left: round(cell * i + (cell - faceWidth) / 2),
      Top: round(0.47 - h / 2),
    };
  });
}
