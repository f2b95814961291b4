/**
 * The exposeDetails part of a result: confidence, bounding boxes and the images themselves. Stored images are
 * handed out as short-lived presigned URLs, and only when they lie under the configured bucket and prefix, so a
 * surprising S3 location in a Rekognition answer can never turn this API into a presigner for other objects.
 */
import type { AuditImage, GetFaceLivenessSessionResultsResponse } from '@aws-sdk/client-rekognition';
import type { BoundingBox, ImageDetails, ResultDetails } from '../../contract/api-types';
import type { PresignImage } from '../shared/clients';
import type { HandlerConfig } from '../shared/config';
import type { Telemetry } from '../shared/observability';

/** What building details needs: the image location rule, a presigner and a place to warn. */
export interface DetailsDeps {
  readonly config: Pick<HandlerConfig, 'imageBucket' | 'imageKeyPrefix'>;
  readonly presign: PresignImage;
  readonly telemetry: Pick<Telemetry, 'warn'>;
}

export async function buildDetails(
  session: GetFaceLivenessSessionResultsResponse,
  deps: DetailsDeps,
): Promise<ResultDetails> {
  const [referenceImage, ...auditImages] = await Promise.all(
    [session.ReferenceImage, ...(session.AuditImages ?? [])].map((image) =>
      image ? imageDetails(image, deps) : Promise.resolve(undefined),
    ),
  );
  return {
    ...(session.Confidence !== undefined && { confidence: session.Confidence }),
    ...(referenceImage !== undefined && { referenceImage }),
    auditImages: auditImages.filter((image): image is ImageDetails => image !== undefined),
  };
}

async function imageDetails(image: AuditImage, deps: DetailsDeps): Promise<ImageDetails> {
  const boundingBox = toBoundingBox(image.BoundingBox);
  const withBox = boundingBox !== undefined ? { boundingBox } : {};
  if (image.Bytes !== undefined && image.Bytes.length > 0) {
    return { ...withBox, base64: Buffer.from(image.Bytes).toString('base64') };
  }
  const object = image.S3Object;
  if (object?.Bucket === undefined || object.Name === undefined) return withBox;
  const { imageBucket, imageKeyPrefix } = deps.config;
  if (object.Bucket !== imageBucket || !object.Name.startsWith(imageKeyPrefix)) {
    deps.telemetry.warn('Image outside the configured bucket and prefix not presigned', {
      bucket: object.Bucket.slice(0, 255),
    });
    return withBox;
  }
  return { ...withBox, url: await deps.presign({ ...object, Bucket: object.Bucket, Name: object.Name }) };
}

function toBoundingBox(box: AuditImage['BoundingBox']): BoundingBox | undefined {
  if (box?.Width === undefined || box.Height === undefined || box.Left === undefined || box.Top === undefined)
    return undefined;
  return { width: box.Width, height: box.Height, left: box.Left, top: box.Top };
}
