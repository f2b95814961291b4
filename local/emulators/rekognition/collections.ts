/**
 * Face collections, in memory, per region as on AWS: what IndexFaces stores (a face's id, the image id, the
 * ExternalImageId, its bounding box and who the face is), what SearchFacesByImage searches, DeleteFaces and ListFaces
 * act on. Like the table and the bucket of a local stack, collections are the deployment's data: the control
 * endpoint's reset leaves them; DeleteCollection removes one.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from './service-errors';
import type { BoundingBox } from './bounding-box';
import type { FaceIdentity } from './people';

/** The face model version the emulator reports (the service's current one when this was written). */
export const FACE_MODEL_VERSION = '7.0';
const LOCAL_ACCOUNT = '000000000000';

export interface StoredFace {
  readonly faceId: string;
  readonly imageId: string;
  readonly externalImageId?: string;
  readonly boundingBox: BoundingBox;
  readonly confidence: number;
  readonly identity: FaceIdentity;
  /** Order of indexing, for ListFaces pages and for ties in a search. */
  readonly seq: number;
  readonly indexedAt: number;
}

export interface Collection {
  readonly id: string;
  readonly region: string;
  readonly arn: string;
  readonly createdAt: number;
  readonly tags: Readonly<Record<string, string>>;
  readonly faces: Map<string, StoredFace>;
  nextSeq: number;
}

/** What the control endpoint shows of a collection: no images (the emulator keeps none), synthetic people only. */
export interface CollectionView {
  readonly collectionId: string;
  readonly region: string;
  readonly arn: string;
  readonly createdAt: string;
  readonly faceCount: number;
  readonly faces: ReadonlyArray<{
    faceId: string;
    imageId: string;
    externalImageId?: string;
    person: string;
    indexedAt: string;
  }>;
}

export class FaceCollections {
  private readonly collections = new Map<string, Collection>();

  constructor(private readonly clock: () => number) {}

  private static key(region: string, id: string): string {
    return `${region}\0${id}`;
  }

  create(region: string, id: string, tags: Readonly<Record<string, string>>): Collection {
    const key = FaceCollections.key(region, id);
    if (this.collections.has(key)) {
      throw new AwsError('ResourceAlreadyExistsException', `The collection id: ${id} already exists`);
    }
    const collection: Collection = {
      id,
      region,
      arn: `arn:aws:rekognition:${region}:${LOCAL_ACCOUNT}:collection/${id}`,
      createdAt: this.clock(),
      tags: { ...tags },
      faces: new Map(),
      nextSeq: 1,
    };
    this.collections.set(key, collection);
    return collection;
  }

  /** The collection, or ResourceNotFoundException as the service answers for an unknown id. */
  get(region: string, id: string): Collection {
    const collection = this.collections.get(FaceCollections.key(region, id));
    if (!collection) throw new AwsError('ResourceNotFoundException', `The collection id: ${id} does not exist`);
    return collection;
  }

  delete(region: string, id: string): void {
    this.get(region, id);
    this.collections.delete(FaceCollections.key(region, id));
  }

  addFace(
    collection: Collection,
    face: Omit<StoredFace, 'faceId' | 'seq' | 'indexedAt' | 'imageId'>,
    imageId: string,
  ): StoredFace {
    const stored: StoredFace = {
      ...face,
      faceId: randomUUID(),
      imageId,
      seq: collection.nextSeq,
      indexedAt: this.clock(),
    };
    collection.nextSeq += 1;
    collection.faces.set(stored.faceId, stored);
    return stored;
  }

  views(): CollectionView[] {
    const iso = (ms: number): string => new Date(ms).toISOString();
    return [...this.collections.values()].map((c) => ({
      collectionId: c.id,
      region: c.region,
      arn: c.arn,
      createdAt: iso(c.createdAt),
      faceCount: c.faces.size,
      faces: [...c.faces.values()].map((f) => ({
        faceId: f.faceId,
        imageId: f.imageId,
        ...(f.externalImageId !== undefined && { externalImageId: f.externalImageId }),
        person: f.identity.kind === 'person' ? f.identity.person : 'x',
        indexedAt: iso(f.indexedAt),
      })),
    }));
  }
}
