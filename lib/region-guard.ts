import { Annotations, Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { FACE_LIVENESS_REGIONS, isFaceLivenessRegion } from '../contract/regions';
import { FaceLivenessValidationError } from './errors';

/** The prop that lets an unsupported region synthesize, as the guard's hint names it. */
export const ALLOW_UNSUPPORTED_REGION_PROP = 'allowUnsupportedRegion';

/**
 * Fails synthesis when the stack is bound to a region without Face Liveness: deployed there, every call would fail with
 * AccessDeniedException, the most common and most confusing Face Liveness mistake. An environment-agnostic stack (the
 * region is only known at deploy time) cannot be checked here and passes.
 */
export function assertFaceLivenessRegion(scope: IConstruct, allowUnsupportedRegion: boolean): void {
  const region = Stack.of(scope).region;
  if (Token.isUnresolved(region) || isFaceLivenessRegion(region)) return;
  const supported = FACE_LIVENESS_REGIONS.join(', ');
  if (allowUnsupportedRegion) {
    Annotations.of(scope).addWarningV2(
      '@face-liveness/unsupported-region',
      `Amazon Rekognition Face Liveness is not offered in ${region} (supported: ${supported}); synthesizing anyway because allowUnsupportedRegion is true.`,
    );
    return;
  }
  throw new FaceLivenessValidationError([
    {
      propPath: ALLOW_UNSUPPORTED_REGION_PROP,
      message:
        `Amazon Rekognition Face Liveness is not offered in region ${region}. Supported regions: ${supported}. ` +
        "Deploy to one of them (AWS_REGION or your profile's region, which the CDK CLI passes on as CDK_DEFAULT_REGION), or, if AWS has added this region since, " +
        `synthesize anyway with ${ALLOW_UNSUPPORTED_REGION_PROP}: true in the FaceLivenessBackend props.`,
    },
  ]);
}
