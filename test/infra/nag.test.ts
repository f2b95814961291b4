/**
 * cdk-nag (AwsSolutions + Serverless) finds nothing unacknowledged, errors or warnings, in the default and in a
 * fully-featured configuration; every acknowledgement names one real finding and gives a reason.
 */
import { Validations, type App } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, ServerlessChecks, type NagPack } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import type { FaceLivenessSettings } from '../../bin/settings';
import { newTestStack, TEST_USER_POOL_ARN } from './support/stack';

const CONFIGURATIONS: Array<[string, Partial<FaceLivenessSettings>]> = [
  ['default', {}],
  [
    'KMS, Cognito, no WAF, destroy',
    {
      imageEncryption: 'kms',
      authMode: 'cognito',
      userPoolArn: TEST_USER_POOL_ARN,
      waf: false,
      removalPolicy: 'destroy',
    },
  ],
  [
    "auth 'none', no guests, no images, several origins",
    {
      authMode: 'none',
      allowGuestAccess: false,
      storeImages: false,
      allowedOrigins: ['https://a.example.com', 'https://b.example.com'],
    },
  ],
  [
    'no access logs, no region restriction, details exposed, alarm e-mail',
    { serverAccessLogs: false, restrictToRegion: false, exposeDetails: true, alarmEmail: 'ops@example.com' },
  ],
];

interface Finding {
  readonly rule: string;
  readonly severity: string;
  readonly path: string;
}

function packs(): NagPack[] {
  return [new AwsSolutionsChecks(), new ServerlessChecks()];
}

function findings(app: App): Finding[] {
  return packs().flatMap((pack) =>
    pack.validateScope(app).violations.flatMap((v) =>
      v.violatingResources.map((r) => ({
        rule: v.ruleName,
        severity: v.severity ?? '',
        path: r.constructPath ?? '',
      })),
    ),
  );
}

/** Findings as if nothing were acknowledged (cdk-nag 3 has no public switch for this, so its private check is bypassed). */
function rawFindings(app: App): Finding[] {
  return packs().flatMap((pack) => {
    const internals = pack as unknown as { isAcknowledged?: unknown };
    if (typeof internals.isAcknowledged !== 'function')
      throw new Error('cdk-nag internals changed: update rawFindings()');
    internals.isAcknowledged = () => false;
    return pack.validateScope(app).violations.flatMap((v) =>
      v.violatingResources.map((r) => ({
        rule: v.ruleName,
        severity: v.severity ?? '',
        path: r.constructPath ?? '',
      })),
    );
  });
}

interface Acknowledgement {
  readonly id: string;
  readonly reason: string;
  readonly path: string;
}

function acknowledgements(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          id: id.replace(/^annotation::/i, ''),
          reason,
          path: c.node.path,
        })),
      ),
  );
}

describe.each(CONFIGURATIONS)('cdk-nag, %s', (_name, settings) => {
  let app: App;
  beforeAll(() => {
    app = newTestStack(settings).node.root as App;
  });

  test('no unacknowledged findings, errors or warnings', () => {
    expect(findings(app)).toEqual([]);
  });

  test('every acknowledgement names one rule or one granular finding, with a reason', () => {
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id).toMatch(/^(AwsSolutions|Serverless)-[A-Za-z0-9]+(\[[^\]]+\])?$/);
      // Rules that report granular findings are only silenced one finding at a time.
      expect(ack.id).not.toMatch(/^AwsSolutions-IAM[45]$/);
      expect(ack.reason.trim().length).toBeGreaterThan(40);
    }
  });

  test('every acknowledgement matches a finding that really occurs at or below it', () => {
    const raw = rawFindings(app);
    for (const ack of acknowledgements(app)) {
      const matched = raw.some((f) => f.rule === ack.id && (f.path === ack.path || f.path.startsWith(`${ack.path}/`)));
      if (!matched) throw new Error(`Stale or misspelled acknowledgement ${ack.id} at ${ack.path}`);
    }
  });
});

test('a new, unacknowledged finding is reported', () => {
  // GIVEN
  const stack = newTestStack();
  // WHEN
  new s3.Bucket(stack, 'UnloggedBucket', { enforceSSL: true });
  // THEN
  expect(findings(stack.node.root as App)).toEqual([
    { rule: 'AwsSolutions-S1', severity: 'error', path: 'Test/UnloggedBucket/Resource' },
  ]);
});

test('the nag packs registered on an app fail its synthesis on an unacknowledged error', () => {
  const stack = newTestStack();
  new s3.Bucket(stack, 'UnloggedBucket', { enforceSSL: true });
  Validations.of(stack.node.root).addPlugins(new AwsSolutionsChecks(), new ServerlessChecks());
  expect(() => (stack.node.root as App).synth()).toThrow(/AwsSolutions-S1/);
});
