/**
 * Regions that offer Rekognition Face Liveness (AWS announcement of 2026-09-28, docs/rekognition-facts.md). The synth-time
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

/** The shape of an AWS region name, e.g. eu-west-1: checked by the handlers, the frontend config writer and the web app. */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** A Cognito identity pool id: its region, a colon and a UUID. */
export const IDENTITY_POOL_ID_PATTERN = new RegExp(`${REGION_PATTERN.source.slice(0, -1)}:[0-9a-f-]+$`);
