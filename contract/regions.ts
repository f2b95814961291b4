/**
 * Regions that offer Rekognition Face Liveness (AWS announcement of 2026-09-28, REKOGNITION_FACTS.md). The synth-time
 * region guard, the CLI and the docs read this list; add a region here when AWS adds one, or override the guard with
 * the `allowUnsupportedRegion` context flag.
 */
export const FACE_LIVENESS_REGIONS = [
  'us-east-1',
  'us-west-2',
  'eu-west-1',
  'ap-northeast-1',
  'ap-south-1',
  'ap-southeast-5',
  'ap-southeast-7',
  'sa-east-1',
] as const;

export function isFaceLivenessRegion(region: string): boolean {
  return (FACE_LIVENESS_REGIONS as readonly string[]).includes(region);
}
