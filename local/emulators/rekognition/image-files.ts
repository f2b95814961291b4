/**
 * Just enough of JPEG and PNG to do what the face operations need without decoding pixels: the format, the size, and
 * the text comments (JPEG COM segments, PNG tEXt chunks); plus writing a comment into a JPEG and encoding a PNG.
 */
import { crc32, deflateSync } from 'node:zlib';

export interface ImageInfo {
  readonly format: 'jpeg' | 'png';
  readonly width: number;
  readonly height: number;
  readonly comments: readonly string[];
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// Start-of-frame markers (baseline, progressive, lossless, arithmetic); 0xC4, 0xC8 and 0xCC are not frames.
const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** The image's format, size and comments; undefined when it is neither a readable JPEG nor a readable PNG. */
export function readImageInfo(bytes: Uint8Array): ImageInfo | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return readJpeg(buf);
  if (buf.length >= 8 && buf.subarray(0, 8).equals(PNG_SIGNATURE)) return readPng(buf);
  return undefined;
}

function readJpeg(buf: Buffer): ImageInfo | undefined {
  const comments: string[] = [];
  let offset = 2;
  while (offset + 4 <= buf.length) {
    if (buf[offset] !== 0xff) return undefined;
    const marker = buf[offset + 1] as number;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    const length = buf.readUInt16BE(offset + 2);
    if (length < 2 || offset + 2 + length > buf.length) return undefined;
    const segment = buf.subarray(offset + 4, offset + 2 + length);
    if (marker === 0xfe) comments.push(segment.toString('latin1'));
    if (SOF_MARKERS.has(marker)) {
      if (segment.length < 5) return undefined;
      const height = segment.readUInt16BE(1);
      const width = segment.readUInt16BE(3);
      if (width === 0 || height === 0) return undefined;
      return { format: 'jpeg', width, height, comments };
    }
    // Start of scan before any frame header: not an image we can read.
    if (marker === 0xda) return undefined;
    offset += 2 + length;
  }
  return undefined;
}

function readPng(buf: Buffer): ImageInfo | undefined {
  const comments: string[] = [];
  let size: { width: number; height: number } | undefined;
  let offset = 8;
  while (offset + 12 <= buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString('latin1', offset + 4, offset + 8);
    if (offset + 12 + length > buf.length) return undefined;
    const data = buf.subarray(offset + 8, offset + 8 + length);
    if (size === undefined) {
      if (type !== 'IHDR' || length < 8) return undefined;
      size = { width: data.readUInt32BE(0), height: data.readUInt32BE(4) };
      if (size.width === 0 || size.height === 0) return undefined;
    }
    if (type === 'tEXt') {
      const nul = data.indexOf(0);
      if (nul > 0) comments.push(data.toString('latin1', nul + 1));
    }
    if (type === 'IEND') break;
    offset += 12 + length;
  }
  return size && { format: 'png', ...size, comments };
}

/** The JPEG with a COM segment holding `text` right after its start-of-image marker. */
export function withJpegComment(jpeg: Uint8Array, text: string): Buffer {
  const body = Buffer.from(text, 'latin1');
  if (body.length > 65_533) throw new Error('a JPEG comment holds at most 65533 bytes');
  const segment = Buffer.alloc(4 + body.length);
  segment[0] = 0xff;
  segment[1] = 0xfe;
  segment.writeUInt16BE(body.length + 2, 2);
  body.copy(segment, 4);
  const src = Buffer.from(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
  return Buffer.concat([src.subarray(0, 2), segment, src.subarray(2)]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGB PNG of RGBA pixel data, with a tEXt `Comment` chunk holding `text`. */
export function encodePng(width: number, height: number, rgba: Uint8Array, text: string): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y += 1) {
    const row = y * (1 + width * 3);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x += 1) {
      const from = (y * width + x) * 4;
      const to = row + 1 + x * 3;
      raw[to] = rgba[from] as number;
      raw[to + 1] = rgba[from + 1] as number;
      raw[to + 2] = rgba[from + 2] as number;
    }
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', header),
    pngChunk('tEXt', Buffer.concat([Buffer.from('Comment\0', 'latin1'), Buffer.from(text, 'latin1')])),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
