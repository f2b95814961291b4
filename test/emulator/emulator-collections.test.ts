/**
 * Face collections through the real RekognitionClient: CreateCollection, DescribeCollection, IndexFaces,
 * SearchFacesByImage, DeleteFaces, ListFaces and DeleteCollection, with the service's validation and errors.
 */
import {
  CreateCollectionCommand,
  CreateFaceLivenessSessionCommand,
  DeleteCollectionCommand,
  DeleteFacesCommand,
  DescribeCollectionCommand,
  GetFaceLivenessSessionResultsCommand,
  IndexFacesCommand,
  type IndexFacesRequest,
  InvalidPaginationTokenException,
  InvalidParameterException,
  ListFacesCommand,
  type RekognitionClient,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  SearchFacesByImageCommand,
  type SearchFacesByImageRequest,
} from '@aws-sdk/client-rekognition';
import {
  idPhoto,
  type PersonId,
  type RekognitionEmulator,
  startRekognitionEmulator,
} from '../../local/emulators/rekognition';
import { control, errorOf, type ManualClock, manualClock, rekognitionClient } from './support';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SUBJECT_REF = 'Zm9vYmFyYmF6cXV4cXV1eHl6enlkZWFkYmVlZmNhZmU'; // 43 characters of base64url, as a subjectRef is

describe('Rekognition emulator: face collections', () => {
  let clock: ManualClock;
  let emulator: RekognitionEmulator;
  let client: RekognitionClient;
  let n = 0;
  let collection: string;

  beforeAll(async () => {
    clock = manualClock();
    emulator = await startRekognitionEmulator({ clock: clock.now });
    client = rekognitionClient(emulator.url);
  });

  beforeEach(async () => {
    n += 1;
    collection = `faces-${n}`;
    await client.send(new CreateCollectionCommand({ CollectionId: collection }));
  });

  afterAll(async () => {
    client.destroy();
    await emulator.close();
  });

  const photo = (person: PersonId) => ({ Bytes: idPhoto({ faces: [person] }) });
  const index = (person: PersonId, extra: Partial<IndexFacesRequest> = {}) =>
    client.send(
      new IndexFacesCommand({
        CollectionId: collection,
        Image: photo(person),
        MaxFaces: 1,
        QualityFilter: 'AUTO',
        ...extra,
      }),
    );
  const search = (person: PersonId, extra: Partial<SearchFacesByImageRequest> = {}) =>
    client.send(
      new SearchFacesByImageCommand({
        CollectionId: collection,
        Image: photo(person),
        FaceMatchThreshold: 99,
        MaxFaces: 1,
        ...extra,
      }),
    );

  describe('CreateCollection, DescribeCollection, DeleteCollection', () => {
    it('creates a collection with its ARN and face model version', async () => {
      // WHEN
      const created = await client.send(new CreateCollectionCommand({ CollectionId: 'My_collection.1-a' }));

      // THEN
      expect(created).toMatchObject({
        StatusCode: 200,
        CollectionArn: 'arn:aws:rekognition:us-east-1:000000000000:collection/My_collection.1-a',
        FaceModelVersion: '7.0',
      });
    });

    it('answers ResourceAlreadyExistsException for an id taken', async () => {
      const err = await errorOf(client.send(new CreateCollectionCommand({ CollectionId: collection })));
      expect(err).toBeInstanceOf(ResourceAlreadyExistsException);
      expect(err.message).toBe(`The collection id: ${collection} already exists`);
    });

    it.each([
      ['an id with a slash', 'a/b', /'collectionId'.*regular expression pattern/],
      ['an empty id', '', /'collectionId'.*length greater than or equal to 1/],
      ['a 256-character id', 'c'.repeat(256), /'collectionId'.*length less than or equal to 255/],
    ])('refuses %s', async (_, id, message) => {
      const err = await errorOf(client.send(new CreateCollectionCommand({ CollectionId: id })));
      expect(err).toBeInstanceOf(InvalidParameterException);
      expect(err.message).toMatch(message);
    });

    it('accepts a 255-character id and tags', async () => {
      const created = await client.send(
        new CreateCollectionCommand({ CollectionId: 'c'.repeat(255), Tags: { team: 'identity', 'cost:centre': '42' } }),
      );
      expect(created.StatusCode).toBe(200);
    });

    it('refuses a tag key in the aws: namespace', async () => {
      const err = await errorOf(
        client.send(new CreateCollectionCommand({ CollectionId: `${collection}-t`, Tags: { 'aws:x': 'y' } })),
      );
      expect(err).toBeInstanceOf(InvalidParameterException);
    });

    it('describes the face count and creation time', async () => {
      // GIVEN
      await index('p1');
      await index('p2');

      // WHEN
      const described = await client.send(new DescribeCollectionCommand({ CollectionId: collection }));

      // THEN
      expect(described).toMatchObject({
        FaceCount: 2,
        FaceModelVersion: '7.0',
        CollectionARN: `arn:aws:rekognition:us-east-1:000000000000:collection/${collection}`,
        UserCount: 0,
      });
      expect(described.CreationTimestamp).toEqual(new Date(clock.now()));
    });

    it('deletes a collection; then every operation on it is ResourceNotFoundException', async () => {
      // WHEN
      const deleted = await client.send(new DeleteCollectionCommand({ CollectionId: collection }));

      // THEN
      expect(deleted.StatusCode).toBe(200);
      for (const call of [
        client.send(new DescribeCollectionCommand({ CollectionId: collection })),
        client.send(new DeleteCollectionCommand({ CollectionId: collection })),
        index('p1'),
        search('p1'),
        client.send(new ListFacesCommand({ CollectionId: collection })),
        client.send(
          new DeleteFacesCommand({ CollectionId: collection, FaceIds: ['00000000-0000-4000-8000-000000000000'] }),
        ),
      ]) {
        const err = await errorOf(call);
        expect(err).toBeInstanceOf(ResourceNotFoundException);
        expect(err.message).toBe(`The collection id: ${collection} does not exist`);
      }
    });

    it('keeps collections per region, and serves face operations outside the Face Liveness regions', async () => {
      // GIVEN
      const frankfurt = rekognitionClient(emulator.url, 'eu-central-1');

      // WHEN
      const missing = await errorOf(frankfurt.send(new DescribeCollectionCommand({ CollectionId: collection })));
      const created = await frankfurt.send(new CreateCollectionCommand({ CollectionId: collection }));
      frankfurt.destroy();

      // THEN
      expect(missing).toBeInstanceOf(ResourceNotFoundException);
      expect(created.CollectionArn).toBe(`arn:aws:rekognition:eu-central-1:000000000000:collection/${collection}`);
    });
  });

  describe('IndexFaces', () => {
    it('indexes one face with its ExternalImageId and a UUID face id', async () => {
      // WHEN
      const indexed = await index('p1', { ExternalImageId: SUBJECT_REF });

      // THEN
      expect(indexed.FaceModelVersion).toBe('7.0');
      expect(indexed.UnindexedFaces).toEqual([]);
      expect(indexed.FaceRecords).toHaveLength(1);
      const face = indexed.FaceRecords?.[0]?.Face;
      expect(face?.FaceId).toMatch(UUID);
      expect(face?.ImageId).toMatch(UUID);
      expect(face?.ExternalImageId).toBe(SUBJECT_REF);
      expect(indexed.FaceRecords?.[0]?.FaceDetail?.BoundingBox).toEqual(face?.BoundingBox);
    });

    it('indexes nothing, without an error, from an image without a face', async () => {
      const indexed = await client.send(
        new IndexFacesCommand({ CollectionId: collection, Image: { Bytes: idPhoto({ faces: [] }) } }),
      );
      expect(indexed.FaceRecords).toEqual([]);
    });

    it('indexes the largest face of two with MaxFaces 1 and reports the other as EXCEEDS_MAX_FACES', async () => {
      // WHEN
      const indexed = await client.send(
        new IndexFacesCommand({
          CollectionId: collection,
          Image: { Bytes: idPhoto({ faces: ['p1', 'p2'], width: 480, height: 320 }) },
          MaxFaces: 1,
        }),
      );

      // THEN
      expect(indexed.FaceRecords).toHaveLength(1);
      expect(indexed.UnindexedFaces).toEqual([{ Reasons: ['EXCEEDS_MAX_FACES'], FaceDetail: expect.any(Object) }]);
      const found = await search('p1');
      expect(found.FaceMatches?.[0]?.Face?.FaceId).toBe(indexed.FaceRecords?.[0]?.Face?.FaceId);
    });

    it('indexes every face when MaxFaces is not given', async () => {
      const indexed = await client.send(
        new IndexFacesCommand({
          CollectionId: collection,
          Image: { Bytes: idPhoto({ faces: ['p1', 'p2'], width: 480, height: 320 }) },
        }),
      );
      expect(indexed.FaceRecords).toHaveLength(2);
    });

    it.each<[string, Partial<IndexFacesRequest>, RegExp]>([
      ['an ExternalImageId with a slash', { ExternalImageId: 'a/b' }, /'externalImageId'.*regular expression/],
      ['a 256-character ExternalImageId', { ExternalImageId: 'e'.repeat(256) }, /'externalImageId'.*255/],
      ['MaxFaces 0', { MaxFaces: 0 }, /'maxFaces'.*greater than or equal to 1/],
      ['an unknown QualityFilter', { QualityFilter: 'BEST' as never }, /'qualityFilter'/],
      [
        'an unknown detection attribute',
        { DetectionAttributes: ['HAIR' as never] },
        /'detectionAttributes\.1\.member'/,
      ],
      ['no image', { Image: undefined }, /'image' failed to satisfy constraint: Member must not be null/],
    ])('refuses %s', async (_, extra, message) => {
      const err = await errorOf(index('p1', extra));
      expect(err).toBeInstanceOf(InvalidParameterException);
      expect(err.message).toMatch(message);
    });

    it('accepts an ExternalImageId of 255 characters with . _ - and :', async () => {
      const indexed = await index('p1', { ExternalImageId: `a.b_c-d:${'e'.repeat(247)}` });
      expect(indexed.FaceRecords).toHaveLength(1);
    });
  });

  describe('SearchFacesByImage', () => {
    it('finds the enrolled face of the same person, with its ExternalImageId', async () => {
      // GIVEN
      const enrolled = await index('p1', { ExternalImageId: 'subject-a' });
      await index('p2', { ExternalImageId: 'subject-b' });

      // WHEN
      const found = await search('p1');

      // THEN
      expect(found.FaceMatches).toEqual([
        {
          Similarity: 99.5,
          Face: expect.objectContaining({
            FaceId: enrolled.FaceRecords?.[0]?.Face?.FaceId,
            ExternalImageId: 'subject-a',
          }),
        },
      ]);
      expect(found.SearchedFaceBoundingBox).toEqual(expect.objectContaining({ Width: expect.any(Number) }));
      expect(found.SearchedFaceConfidence).toBeGreaterThan(90);
      expect(found.FaceModelVersion).toBe('7.0');
    });

    it('finds the liveness reference image of a session in front of which the same person stood', async () => {
      // GIVEN
      await index('p5', { ExternalImageId: 'subject-e' });
      await control(emulator, 'PUT', '/defaults', { outcome: { person: 'p5' } });
      const { SessionId } = await client.send(new CreateFaceLivenessSessionCommand({}));
      clock.advance(2000);
      const result = await client.send(new GetFaceLivenessSessionResultsCommand({ SessionId }));
      await control(emulator, 'POST', '/reset');

      // WHEN
      const found = await client.send(
        new SearchFacesByImageCommand({
          CollectionId: collection,
          Image: { Bytes: result.ReferenceImage?.Bytes },
          FaceMatchThreshold: 99,
          MaxFaces: 1,
        }),
      );

      // THEN
      expect(found.FaceMatches?.map((m) => m.Face?.ExternalImageId)).toEqual(['subject-e']);
    });

    it('finds nothing above the threshold for a person not enrolled', async () => {
      await index('p1', { ExternalImageId: 'subject-a' });
      const found = await search('p3');
      expect(found.FaceMatches).toEqual([]);
    });

    it('returns the best matches first, at most MaxFaces, the oldest first among equals', async () => {
      // GIVEN
      const first = await index('p1', { ExternalImageId: 'first' });
      await index('p1', { ExternalImageId: 'second' });
      await index('p2', { ExternalImageId: 'other' });

      // WHEN
      const one = await search('p1');
      const all = await search('p1', { MaxFaces: 10, FaceMatchThreshold: 0 });

      // THEN
      expect(one.FaceMatches?.map((m) => m.Face?.FaceId)).toEqual([first.FaceRecords?.[0]?.Face?.FaceId]);
      expect(all.FaceMatches?.map((m) => m.Face?.ExternalImageId)).toEqual(['first', 'second', 'other']);
    });

    it('uses 80 when no FaceMatchThreshold is given', async () => {
      await index('p1', { ExternalImageId: 'lookalike' });
      const found = await client.send(
        new SearchFacesByImageCommand({
          CollectionId: collection,
          Image: { Bytes: idPhoto({ faces: [{ person: 'p1', similarity: 85 }] }) },
        }),
      );
      expect(found.FaceMatches?.map((m) => m.Similarity)).toEqual([85]);
    });

    it('refuses an image without a face with the service message', async () => {
      const err = await errorOf(
        client.send(
          new SearchFacesByImageCommand({ CollectionId: collection, Image: { Bytes: idPhoto({ faces: [] }) } }),
        ),
      );
      expect(err).toBeInstanceOf(InvalidParameterException);
      expect(err.message).toBe('There are no faces in the image. Should be at least 1.');
    });

    it.each<[string, Partial<SearchFacesByImageRequest>, RegExp]>([
      ['FaceMatchThreshold 100.1', { FaceMatchThreshold: 100.1 }, /'faceMatchThreshold'.*less than or equal to 100/],
      ['MaxFaces 4097', { MaxFaces: 4097 }, /'maxFaces'.*less than or equal to 4096/],
      ['MaxFaces 0', { MaxFaces: 0 }, /'maxFaces'.*greater than or equal to 1/],
    ])('refuses %s', async (_, extra, message) => {
      const err = await errorOf(search('p1', extra));
      expect(err).toBeInstanceOf(InvalidParameterException);
      expect(err.message).toMatch(message);
    });
  });

  describe('DeleteFaces and ListFaces', () => {
    it('deletes faces, reports unknown ones as FACE_NOT_FOUND, and the deleted face is no longer found', async () => {
      // GIVEN
      const enrolled = await index('p1', { ExternalImageId: 'subject-a' });
      const faceId = enrolled.FaceRecords?.[0]?.Face?.FaceId as string;
      const unknown = '00000000-0000-4000-8000-000000000000';

      // WHEN
      const deleted = await client.send(
        new DeleteFacesCommand({ CollectionId: collection, FaceIds: [faceId, unknown] }),
      );
      const again = await client.send(new DeleteFacesCommand({ CollectionId: collection, FaceIds: [faceId] }));

      // THEN
      expect(deleted.DeletedFaces).toEqual([faceId]);
      expect(deleted.UnsuccessfulFaceDeletions).toEqual([{ FaceId: unknown, Reasons: ['FACE_NOT_FOUND'] }]);
      expect(again.DeletedFaces).toEqual([]);
      expect((await search('p1')).FaceMatches).toEqual([]);
    });

    it.each([
      ['an empty list', [], /'faceIds'.*length greater than or equal to 1/],
      ['a face id that is not a UUID', ['face-1'], /'faceIds\.1\.member'.*regular expression/],
      ['4097 face ids', Array.from({ length: 4097 }, () => '00000000-0000-4000-8000-000000000000'), /4096/],
    ])('refuses %s', async (_, faceIds, message) => {
      const err = await errorOf(client.send(new DeleteFacesCommand({ CollectionId: collection, FaceIds: faceIds })));
      expect(err).toBeInstanceOf(InvalidParameterException);
      expect(err.message).toMatch(message);
    });

    it('lists faces page by page with NextToken', async () => {
      // GIVEN
      const ids: string[] = [];
      for (const person of ['p1', 'p2', 'p3'] as const) {
        ids.push((await index(person, { ExternalImageId: person })).FaceRecords?.[0]?.Face?.FaceId as string);
      }

      // WHEN
      const first = await client.send(new ListFacesCommand({ CollectionId: collection, MaxResults: 2 }));
      const second = await client.send(
        new ListFacesCommand({ CollectionId: collection, MaxResults: 2, NextToken: first.NextToken }),
      );

      // THEN
      expect(first.Faces?.map((f) => f.FaceId)).toEqual(ids.slice(0, 2));
      expect(first.NextToken).toEqual(expect.any(String));
      expect(second.Faces?.map((f) => f.FaceId)).toEqual(ids.slice(2));
      expect(second.NextToken).toBeUndefined();
      expect(second.Faces?.[0]).toEqual(
        expect.objectContaining({
          ExternalImageId: 'p3',
          ImageId: expect.stringMatching(UUID),
          IndexFacesModelVersion: '7.0',
        }),
      );
    });

    it('lists only the FaceIds asked for', async () => {
      await index('p1');
      const wanted = (await index('p2')).FaceRecords?.[0]?.Face?.FaceId as string;
      const listed = await client.send(new ListFacesCommand({ CollectionId: collection, FaceIds: [wanted] }));
      expect(listed.Faces?.map((f) => f.FaceId)).toEqual([wanted]);
    });

    it('answers InvalidPaginationTokenException for a token it did not issue', async () => {
      const err = await errorOf(client.send(new ListFacesCommand({ CollectionId: collection, NextToken: 'bogus' })));
      expect(err).toBeInstanceOf(InvalidPaginationTokenException);
    });
  });

  describe('control endpoint', () => {
    it('shows the collections and which synthetic person each face is, and reset leaves them', async () => {
      // GIVEN
      await index('p6', { ExternalImageId: 'subject-f' });

      // WHEN
      await control(emulator, 'POST', '/reset');
      const { status, body } = await control(emulator, 'GET', '/collections');

      // THEN
      expect(status).toBe(200);
      const mine = body.collections.find((c: { collectionId: string }) => c.collectionId === collection);
      expect(mine).toMatchObject({
        region: 'us-east-1',
        faceCount: 1,
        faces: [{ faceId: expect.stringMatching(UUID), externalImageId: 'subject-f', person: 'p6' }],
      });
    });
  });
});
