/**
 * What the local AWS stand-ins answer, by operation name: the HTTP stub of the cold-start runs (by X-Amz-Target) and
 * the stubbed `send` of the warm runs (by the command's operation) both read this one table. The shapes are the wire
 * JSON of the AWS JSON protocols (Rekognition 1.1, DynamoDB 1.0), which is also the SDK's output shape as long as
 * there are no blobs or timestamps. An operation missing here fails the run loudly.
 */
import { ownerRef } from '../lambda/shared/identity';

export const BENCH_SESSION_ID = '4f2b6c1e-8a3d-4e5f-9b7a-1c2d3e4f5a6b';
export const BENCH_BUCKET = 'face-liveness-images-bench';
export const BENCH_TABLE = 'face-liveness-sessions-bench';
/** The attestation key the handler and its twin sign with (the stub answers Sign for any key). */
export const BENCH_ATTESTATION_KEY = 'arn:aws:kms:eu-west-1:000000000000:key/0b7e5a2c-1d3f-4e6a-8b9c-0d1e2f3a4b5c';
/** The identity-pool identity API Gateway reports for the caller (IAM auth, the default). */
export const BENCH_IDENTITY_ID = 'eu-west-1:0b7e5a2c-1d3f-4e6a-8b9c-0d1e2f3a4b5c';
/** The handlers' OWNER_REF_KEY: the session record names its owner by the reference computed with it. */
export const BENCH_OWNER_REF_KEY = 'owner-reference-key-of-the-bench-000000000001';

export const AWS_ANSWERS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  CreateFaceLivenessSession: { SessionId: BENCH_SESSION_ID },
  // The common final answer: a live verdict with a stored reference image (storeImages is on by default).
  GetFaceLivenessSessionResults: {
    SessionId: BENCH_SESSION_ID,
    Status: 'SUCCEEDED',
    Confidence: 97.5,
    ReferenceImage: {
      BoundingBox: { Width: 0.4, Height: 0.5, Left: 0.3, Top: 0.2 },
      S3Object: { Bucket: BENCH_BUCKET, Name: `liveness/${BENCH_SESSION_ID}/reference.jpg` },
    },
    AuditImages: [],
    Challenge: { Type: 'FaceMovementAndLightChallenge', Version: '1.0.0' },
  },
  // The session record, owned by the bench caller. It also answers the owner lookup (no lockedUntil: not locked).
  GetItem: {
    Item: {
      pk: { S: `SESSION#${BENCH_SESSION_ID}` },
      sessionId: { S: BENCH_SESSION_ID },
      owner: { S: ownerRef(`cognito:${BENCH_IDENTITY_ID}`, BENCH_OWNER_REF_KEY) },
      createdAt: { S: '2026-01-01T00:00:00.000Z' },
      expiresAt: { S: '2099-01-01T00:03:00.000Z' },
      ttl: { N: '4070908800' },
    },
  },
  UpdateItem: {},
  // The attestation signature (a real DER ECDSA P-256 signature; its key does not matter here). A blob: base64 on the
  // wire, and the warm stub decodes it (bench/children/warm-child.cjs) as the SDK would.
  Sign: {
    KeyId: BENCH_ATTESTATION_KEY,
    SigningAlgorithm: 'ECDSA_SHA_256',
    Signature: 'MEQCIGUEHBHQxLwrjZEFRdiFJOb1pER+T0hzX1cE1Vz2/f1eAiAo2omWU2QOzbkt+F5t6CmaFEV+lVgiAJM3yULTayCzCw==',
  },
};
