/**
 * The emulator's synthetic people: `p1` … `p9`, each drawn with its own skin tone, eye spacing and mouth, so a person
 * looks the same in every image the emulator or `idPhoto()` makes. No real face is involved and none is recognised:
 * who is in an image is written in the image itself, as a machine-readable comment (a JPEG COM segment or a PNG tEXt
 * chunk) that the face-matching operations read back:
 *
 *   face-liveness-emulator faces=p1            one face of p1
 *   face-liveness-emulator faces=              no face
 *   face-liveness-emulator faces=p1,p2         two faces, p1's the larger
 *   face-liveness-emulator faces=p2~92.5       p2, scoring 92.5 against p2's other images instead of 99.5
 *   face-liveness-emulator faces=p1@0.1:0.2:0.5:0.6   with its bounding box (left:top:width:height, ratios)
 *
 * Similarity: two faces of the same person score 99.5 (or the scripted value of either, the lower of two); two
 * different people a fixed value below 40 that depends only on the pair.
 */
import { createHash } from 'node:crypto';
import type { BoundingBox } from './bounding-box';

export const PERSON_IDS = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9'] as const;
export type PersonId = (typeof PERSON_IDS)[number];

/** Who stands in front of the emulated camera: a person, or nobody (a reference image without a face). */
export type CameraSubject = PersonId | 'none';
export const CAMERA_SUBJECTS: readonly CameraSubject[] = [...PERSON_IDS, 'none'];

/** Similarity of two images of the same person when neither scripts another value. */
export const SAME_PERSON_SIMILARITY = 99.5;
/** Every pair of different people scores below this. */
export const DIFFERENT_PEOPLE_BELOW = 40;

export const COMMENT_PREFIX = 'face-liveness-emulator';

/** One face in an image: whose, how alike to that person's other images, and where (when the image says so). */
export interface FaceSpec {
  readonly person: PersonId;
  /** 0..100 (four decimals): what this face scores against the same person's other images. @default 99.5 */
  readonly similarity?: number;
  readonly boundingBox?: BoundingBox;
}

const FACE_TOKEN =
  /^(p[1-9])(?:~(\d{1,3}(?:\.\d{1,4})?))?(?:@(\d(?:\.\d{1,6})?):(\d(?:\.\d{1,6})?):(\d(?:\.\d{1,6})?):(\d(?:\.\d{1,6})?))?$/;

const ratio = (n: number): string => String(Math.round(n * 10_000) / 10_000);

/** The comment text naming the faces of an image. */
export function facesComment(faces: readonly FaceSpec[]): string {
  const tokens = faces.map((face) => {
    // Four decimals at most, as the parser reads them (and as similarities are reported).
    const similarity = face.similarity === undefined ? '' : `~${Math.round(face.similarity * 10_000) / 10_000}`;
    const box = face.boundingBox;
    const where = box ? `@${ratio(box.Left)}:${ratio(box.Top)}:${ratio(box.Width)}:${ratio(box.Height)}` : '';
    return `${face.person}${similarity}${where}`;
  });
  return `${COMMENT_PREFIX} faces=${tokens.join(',')}`;
}

export class FacesCommentError extends Error {}

/**
 * Reads a comment written by facesComment. Returns undefined for a comment that is not the emulator's; throws
 * FacesCommentError for one that is but cannot be read (a hand-written typo should not pass as "unknown person").
 */
export function parseFacesComment(text: string): FaceSpec[] | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith(COMMENT_PREFIX)) return undefined;
  const match = /^face-liveness-emulator\s+faces=(\S*)$/.exec(trimmed);
  if (!match) throw new FacesCommentError(`expected "${COMMENT_PREFIX} faces=p1,p2", got "${trimmed.slice(0, 80)}"`);
  const list = match[1] as string;
  if (list === '') return [];
  return list.split(',').map((token) => {
    const m = FACE_TOKEN.exec(token);
    if (!m) {
      throw new FacesCommentError(
        `face "${token.slice(0, 40)}" is not p1..p9, optionally with ~similarity and @left:top:width:height`,
      );
    }
    const similarity = m[2] === undefined ? undefined : Number(m[2]);
    if (similarity !== undefined && similarity > 100) throw new FacesCommentError(`similarity ${m[2]} is above 100`);
    return {
      person: m[1] as PersonId,
      ...(similarity !== undefined && { similarity }),
      ...(m[3] !== undefined && {
        boundingBox: { Left: Number(m[3]), Top: Number(m[4]), Width: Number(m[5]), Height: Number(m[6]) },
      }),
    };
  });
}

/** How a person is drawn. */
export interface Appearance {
  readonly skin: readonly [number, number, number];
  readonly hair: readonly [number, number, number];
  /** Distance between the eyes as a share of the face's half-width. */
  readonly eyeSpacing: number;
  /** Mouth width as a share of the face's half-width. */
  readonly mouthWidth: number;
}

const SKIN: readonly (readonly [number, number, number])[] = [
  [241, 204, 177],
  [224, 182, 150],
  [198, 150, 112],
  [168, 117, 84],
  [141, 93, 62],
  [110, 70, 46],
  [233, 190, 160],
  [190, 140, 100],
  [92, 58, 40],
];
const HAIR: readonly (readonly [number, number, number])[] = [
  [40, 30, 25],
  [90, 60, 30],
  [200, 170, 110],
  [20, 20, 20],
  [120, 40, 20],
  [150, 150, 150],
  [60, 40, 30],
  [30, 25, 20],
  [170, 120, 60],
];

export function appearanceOf(person: PersonId): Appearance {
  const n = PERSON_IDS.indexOf(person);
  return {
    skin: SKIN[n] as Appearance['skin'],
    hair: HAIR[n] as Appearance['hair'],
    eyeSpacing: 0.3 + ((n * 4) % 9) * 0.03,
    mouthWidth: 0.25 + ((n * 5) % 9) * 0.03,
  };
}

/**
 * Who a face is, for comparing: a synthetic person, or an unknown person in an image without the emulator's comment
 * (each distinct image is its own unknown person: the same bytes match themselves, nothing else).
 */
export type FaceIdentity =
  | { readonly kind: 'person'; readonly person: PersonId; readonly similarity?: number }
  | { readonly kind: 'unknown'; readonly key: string };

export function identityKey(identity: FaceIdentity): string {
  return identity.kind === 'person' ? identity.person : `x:${identity.key}`;
}

/** The similarity of two faces (0..100, two decimals at most), the same whichever comes first. */
export function similarityOf(a: FaceIdentity, b: FaceIdentity): number {
  const ka = identityKey(a);
  const kb = identityKey(b);
  if (ka === kb) {
    const scripted = [a, b]
      .map((face) => (face.kind === 'person' ? face.similarity : undefined))
      .filter((value): value is number => value !== undefined);
    return scripted.length === 0 ? SAME_PERSON_SIMILARITY : Math.min(...scripted);
  }
  const [first, second] = [ka, kb].sort();
  const digest = createHash('sha256').update(`${first}\0${second}`).digest();
  // 1.00 .. 38.99: clearly "another person" whatever threshold a caller chooses above 40.
  return 1 + (digest.readUInt32BE(0) % 3800) / 100;
}

/** An unknown person's key: a digest of the image bytes. */
export function unknownKey(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url').slice(0, 16);
}
