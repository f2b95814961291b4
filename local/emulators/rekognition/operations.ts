/** The operations the emulator serves on its AWS side (`X-Amz-Target: RekognitionService.<name>`). */

export const LIVENESS_OPERATIONS = ['CreateFaceLivenessSession', 'GetFaceLivenessSessionResults'] as const;
export type LivenessOperation = (typeof LIVENESS_OPERATIONS)[number];

/** What an identity check calls after the liveness verdict: 1:1 comparison and a face collection. */
export const FACE_OPERATIONS = [
  'CompareFaces',
  'DetectFaces',
  'CreateCollection',
  'DeleteCollection',
  'DescribeCollection',
  'IndexFaces',
  'SearchFacesByImage',
  'DeleteFaces',
  'ListFaces',
] as const;
export type FaceOperation = (typeof FACE_OPERATIONS)[number];

export const EMULATED_OPERATIONS = [...LIVENESS_OPERATIONS, ...FACE_OPERATIONS] as const;
export type EmulatedOperation = (typeof EMULATED_OPERATIONS)[number];

export function isFaceOperation(name: string): name is FaceOperation {
  return (FACE_OPERATIONS as readonly string[]).includes(name);
}
