/**
 * The identity check of a session, decided with its verdict (contract/identity.ts): only when the verdict is live,
 * on the liveness reference image the server fetched itself (never anything a browser sent), with the check's
 * threshold. The outcome is stored with the verdict in its one conditional write (get-result/core.ts); `settle` then
 * finishes what only the recorded outcome may do (the enrolment is kept, the check and its stored photo deleted), or
 * undoes what a read that lost the race did (the face it indexed is deleted).
 *
 * Nothing biometric is logged: no similarity, face id, bounding box or image; warnings carry error names only.
 */
import {
  CompareFacesCommand,
  DeleteFacesCommand,
  DetectFacesCommand,
  IndexFacesCommand,
  SearchFacesByImageCommand,
  type GetFaceLivenessSessionResultsResponse,
  type Image,
  type RekognitionClient,
} from '@aws-sdk/client-rekognition';
import type { IdentityReason } from '../../contract/identity';
import type { DeleteImage } from '../shared/clients';
import type { IdentityConfig } from '../shared/config';
import type { IdentityCheck, IdentityRecords } from '../shared/identity-records';
import type { Telemetry } from '../shared/observability';
import type { IdentityOutcome, SessionIdentityCheck } from '../shared/session-records';

export interface IdentityMatchDeps {
  readonly rekognition: Pick<RekognitionClient, 'send'>;
  readonly records: Pick<IdentityRecords, 'getCheck' | 'deleteCheck' | 'getSubject' | 'setEnrolment'>;
  readonly identity: IdentityConfig;
  readonly deletePhoto: DeleteImage;
  readonly telemetry: Pick<Telemetry, 'warn'>;
  /** Epoch milliseconds. */
  readonly now: () => number;
}

export interface DecidedIdentity {
  readonly outcome: IdentityOutcome;
  /** The best similarity of a match, for exposeDetails only: never stored, logged or attested. */
  readonly similarity?: number;
  /** After the verdict's write: `recorded` tells whether this outcome is the one stored. Never throws. */
  settle(recorded: boolean): Promise<void>;
}

/** Errors that say the reference photo cannot be used (the API reference's list for DetectFaces and CompareFaces). */
const UNREADABLE = new Set([
  'InvalidImageFormatException',
  'InvalidS3ObjectException',
  'ImageTooLargeException',
  'InvalidParameterException',
]);

const nameOf = (error: unknown): string =>
  typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string'
    ? (error as { name: string }).name
    : 'Error';

export async function decideIdentity(
  sessionId: string,
  bound: SessionIdentityCheck,
  session: GetFaceLivenessSessionResultsResponse,
  isLive: boolean,
  deps: IdentityMatchDeps,
): Promise<DecidedIdentity> {
  const check = await deps.records.getCheck(bound.checkId);
  if (check === undefined || check.sessionId !== sessionId) {
    // Erased (or expired) before the verdict: never a match.
    return {
      outcome: notMatched(bound.method, bound.subject, deps.identity.similarityThreshold, 'CHECK_NOT_FOUND'),
      settle: async () => undefined,
    };
  }
  const done = (outcome: IdentityOutcome, extra: Partial<DecidedIdentity> = {}): DecidedIdentity => ({
    outcome,
    settle: async (recorded) => {
      if (recorded) await cleanUp(check, deps);
    },
    ...extra,
  });
  const fail = (reason: IdentityReason) => done(notMatched(check.method, check.subject, check.threshold, reason));
  // Not live: no comparison at all, whatever the photo.
  if (!isLive) return fail('NOT_LIVE');
  const live = livenessImage(session);
  if (live === undefined) return fail('NO_FACE_IN_LIVENESS_IMAGE');
  const matched = (): IdentityOutcome => ({
    method: check.method,
    subject: check.subject,
    matched: true,
    threshold: check.threshold,
  });

  switch (check.method) {
    case 'reference': {
      if (check.photo === undefined) return fail('REFERENCE_PHOTO_UNREADABLE');
      const photo: Image = {
        S3Object: {
          Bucket: check.photo.bucket,
          Name: check.photo.name,
          ...(check.photo.version !== undefined && { Version: check.photo.version }),
        },
      };
      // The photo's faces first: CompareFaces' "no face" error does not say which image had none.
      let faces: number;
      try {
        const { FaceDetails } = await deps.rekognition.send(new DetectFacesCommand({ Image: photo }));
        faces = FaceDetails?.length ?? 0;
      } catch (error) {
        if (UNREADABLE.has(nameOf(error))) return fail('REFERENCE_PHOTO_UNREADABLE');
        throw error;
      }
      if (faces === 0) return fail('NO_FACE_IN_REFERENCE');
      if (faces > 1) return fail('MULTIPLE_FACES');
      try {
        const { FaceMatches } = await deps.rekognition.send(
          new CompareFacesCommand({ SourceImage: live, TargetImage: photo, SimilarityThreshold: check.threshold }),
        );
        const best = Math.max(...(FaceMatches ?? []).map((m) => m.Similarity ?? 0));
        if ((FaceMatches ?? []).length === 0 || !(best >= check.threshold)) return fail('BELOW_THRESHOLD');
        return done(matched(), { similarity: best });
      } catch (error) {
        // The photo has one face (DetectFaces): no face found now is the liveness image's.
        if (nameOf(error) === 'InvalidParameterException') return fail('NO_FACE_IN_LIVENESS_IMAGE');
        if (UNREADABLE.has(nameOf(error))) return fail('REFERENCE_PHOTO_UNREADABLE');
        throw error;
      }
    }
    case 'enrolled': {
      const subject = await deps.records.getSubject(check.subjectRef);
      // No Rekognition call for a subject without an enrolled face.
      if (subject === undefined || subject.faceIds.length === 0) return fail('SUBJECT_NOT_ENROLLED');
      const best = await searchBest(live, check.threshold, 1, deps);
      if (best === 'NO_FACE') return fail('NO_FACE_IN_LIVENESS_IMAGE');
      const top = best[0];
      if (top === undefined) return fail('BELOW_THRESHOLD');
      const own = top.externalImageId === check.subjectRef && subject.faceIds.includes(top.faceId);
      if (!own) return fail('ANOTHER_SUBJECT');
      return done(matched(), { similarity: top.similarity });
    }
    case 'enrol': {
      // The duplicate check: this face already enrolled for another subject is reported, not enrolled again.
      const found = await searchBest(live, check.threshold, 10, deps);
      if (found === 'NO_FACE') return fail('NO_FACE_IN_LIVENESS_IMAGE');
      if (found.some((f) => f.externalImageId !== check.subjectRef)) return fail('FACE_ENROLLED_FOR_ANOTHER_SUBJECT');
      const collectionId = deps.identity.collectionId;
      if (collectionId === undefined) throw new Error('Enrolment without a collection');
      const { FaceRecords } = await deps.rekognition.send(
        new IndexFacesCommand({
          CollectionId: collectionId,
          Image: live,
          ExternalImageId: check.subjectRef,
          MaxFaces: 1,
          QualityFilter: 'AUTO',
          DetectionAttributes: [],
        }),
      );
      const faceIds = (FaceRecords ?? []).map((r) => r.Face?.FaceId).filter((id): id is string => id !== undefined);
      if (faceIds.length === 0) return fail('NO_FACE_IN_LIVENESS_IMAGE');
      return {
        outcome: matched(),
        settle: async (recorded) => {
          try {
            if (!recorded) {
              // Another read decided first: this read's face is not the subject's.
              await deleteFaces(collectionId, faceIds, deps);
              return;
            }
            const previous = await deps.records.setEnrolment(
              check.subjectRef,
              faceIds,
              new Date(deps.now()).toISOString(),
            );
            // One face per subject: re-enrolment replaces the earlier one.
            const replaced = previous.filter((id) => !faceIds.includes(id));
            if (replaced.length > 0) await deleteFaces(collectionId, replaced, deps);
          } catch (error) {
            deps.telemetry.warn('Enrolment not settled', { error: nameOf(error).slice(0, 64) });
          }
          if (recorded) await cleanUp(check, deps);
        },
      };
    }
  }
}

function notMatched(
  method: IdentityOutcome['method'],
  subject: string,
  threshold: number,
  reason: IdentityReason,
): IdentityOutcome {
  return { method, subject, matched: false, reason, threshold };
}

/** The session's reference image as Rekognition returned it: bytes, or the S3 object Rekognition itself wrote. */
function livenessImage(session: GetFaceLivenessSessionResultsResponse): Image | undefined {
  const image = session.ReferenceImage;
  if (image?.Bytes !== undefined && image.Bytes.length > 0) return { Bytes: image.Bytes };
  const object = image?.S3Object;
  if (object?.Bucket !== undefined && object.Name !== undefined)
    return {
      S3Object: {
        Bucket: object.Bucket,
        Name: object.Name,
        ...(object.Version !== undefined && { Version: object.Version }),
      },
    };
  return undefined;
}

interface FaceMatch {
  readonly faceId: string;
  readonly externalImageId: string | undefined;
  readonly similarity: number;
}

async function searchBest(
  image: Image,
  threshold: number,
  maxFaces: number,
  deps: IdentityMatchDeps,
): Promise<FaceMatch[] | 'NO_FACE'> {
  const collectionId = deps.identity.collectionId;
  if (collectionId === undefined) throw new Error('Enrolment without a collection');
  try {
    const { FaceMatches } = await deps.rekognition.send(
      new SearchFacesByImageCommand({
        CollectionId: collectionId,
        Image: image,
        FaceMatchThreshold: threshold,
        MaxFaces: maxFaces,
      }),
    );
    return (FaceMatches ?? [])
      .filter((m) => m.Face?.FaceId !== undefined && (m.Similarity ?? 0) >= threshold)
      .map((m) => ({
        faceId: m.Face!.FaceId!,
        externalImageId: m.Face?.ExternalImageId,
        similarity: m.Similarity ?? 0,
      }))
      .sort((a, b) => b.similarity - a.similarity);
  } catch (error) {
    if (nameOf(error) === 'InvalidParameterException') return 'NO_FACE';
    throw error;
  }
}

async function deleteFaces(collectionId: string, faceIds: readonly string[], deps: IdentityMatchDeps): Promise<void> {
  await deps.rekognition.send(new DeleteFacesCommand({ CollectionId: collectionId, FaceIds: [...faceIds] }));
}

/** The check is spent once its outcome is recorded: its item goes, and so does the photo this backend stored for it. */
async function cleanUp(check: IdentityCheck, deps: IdentityMatchDeps): Promise<void> {
  try {
    if (check.photo?.stored === true) await deps.deletePhoto({ Bucket: check.photo.bucket, Name: check.photo.name });
    await deps.records.deleteCheck(check.checkId, { subjectRef: check.subjectRef, returnOld: false });
  } catch (error) {
    // The photo's lifecycle rule and the check's TTL remove them later.
    deps.telemetry.warn('Identity check not cleaned up', { error: nameOf(error).slice(0, 64) });
  }
}
