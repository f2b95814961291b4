/**
 * cdk.json configures every feature flag the installed aws-cdk-lib recommends for a new app, so `cdk synth` prints no
 * "feature flags are not configured" notice. After a CDK upgrade this fails until the new flags are set (and the
 * snapshot diff they cause has been checked).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const context: Record<string, unknown> = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8'),
).context;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const recommended: Record<string, unknown> = require('aws-cdk-lib/recommended-feature-flags.json');

test('every recommended feature flag is configured in cdk.json', () => {
  expect(Object.keys(recommended).filter((flag) => !(flag in context))).toEqual([]);
});

test('the configured flags hold the recommended values', () => {
  expect(
    Object.keys(recommended).filter((flag) => JSON.stringify(context[flag]) !== JSON.stringify(recommended[flag])),
  ).toEqual([]);
});
