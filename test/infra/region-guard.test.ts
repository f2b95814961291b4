/** Synth fails in a region without Face Liveness, unless the operator overrides it; region-less stacks pass. */
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { FACE_LIVENESS_REGIONS } from '../../contract/regions';
import { assertFaceLivenessRegion } from '../../lib/region-guard';
import { newTestStack } from './support/stack';

describe('region guard', () => {
  test('a stack in eu-central-1 fails synth, naming the region, the supported regions and the override', () => {
    expect(() => newTestStack({}, { region: 'eu-central-1' })).toThrow(/region eu-central-1/);
    expect(() => newTestStack({}, { region: 'eu-central-1' })).toThrow(new RegExp(FACE_LIVENESS_REGIONS.join(', ')));
    expect(() => newTestStack({}, { region: 'eu-central-1' })).toThrow(/-c allowUnsupportedRegion=true/);
  });

  test('a stack in us-east-1 synthesizes', () => {
    expect(() => newTestStack({}, { region: 'us-east-1' })).not.toThrow();
  });

  test.each(FACE_LIVENESS_REGIONS)('%s passes the guard', (region) => {
    const stack = new Stack(new App(), 'Bare', { env: { region } });
    expect(() => assertFaceLivenessRegion(stack, false)).not.toThrow();
  });

  test('an environment-agnostic stack synthesizes (its region is only known at deploy time)', () => {
    expect(() => newTestStack({}, { region: null })).not.toThrow();
  });

  test('-c allowUnsupportedRegion=true lets an unsupported region synthesize, with a warning', () => {
    // GIVEN / WHEN
    const stack = newTestStack({}, { region: 'eu-central-1', context: { allowUnsupportedRegion: 'true' } });
    // THEN
    Annotations.fromStack(stack).hasWarning('/Test/Backend', Match.stringLikeRegexp('not offered in eu-central-1'));
  });
});
