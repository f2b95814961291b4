/**
 * The repository's own app reads the backend's settings from CDK context (`cdk.json` or `cdk deploy -c name=value`),
 * under the flat names of the README's settings table. That is this app's format, not the library's: the library takes
 * grouped, typed props (lib/props.ts), and this file converts one into the other after checking the values
 * (bin/settings.ts).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { SETTING_VARIABLES } from '../contract/handler-environment';
import { FaceLivenessValidationError } from '../lib/errors';
import type { FaceLivenessBackendProps, ImageEncryption, LivenessAuthorization, LivenessChallenge } from '../lib/props';
import { ALLOW_UNSUPPORTED_REGION_PROP } from '../lib/region-guard';
import {
  DEFAULT_SETTINGS,
  resolveSettings,
  SETTING_NAMES,
  type FaceLivenessSettings,
  type SettingName,
} from './settings';

/** Throws a FaceLivenessValidationError for any name that is not a setting (a typo would otherwise be silently ignored). */
export function assertKnownSettings(settings: object): void {
  const unknown = Object.keys(settings).filter((k) => !(SETTING_NAMES as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new FaceLivenessValidationError(
      unknown.map((k) => ({
        propPath: k,
        message: `unknown setting ${JSON.stringify(k)}; known: ${SETTING_NAMES.join(', ')}`,
      })),
    );
  }
}

/**
 * The construct's error as this app's operator reads it: the region guard's way out is a context value here
 * (`-c allowUnsupportedRegion=true`), not a prop. Other errors pass unchanged.
 */
export function forContext(error: unknown): unknown {
  if (!(error instanceof FaceLivenessValidationError)) return error;
  const propHint = `${ALLOW_UNSUPPORTED_REGION_PROP}: true in the FaceLivenessBackend props`;
  if (!error.problems.some((p) => p.message.includes(propHint))) return error;
  return new FaceLivenessValidationError(
    error.problems.map((p) => ({
      propPath: p.propPath,
      message: p.message.replace(propHint, `-c ${ALLOW_UNSUPPORTED_REGION_PROP}=true`),
    })),
  );
}

/**
 * Checks the app's flat settings (messages name the context keys) and converts them into the construct's props. The
 * user pool named by userPoolArn is imported into `scope`.
 */
export function propsFromSettings(
  scope: Construct,
  overrides: Partial<FaceLivenessSettings>,
): FaceLivenessBackendProps {
  assertKnownSettings(overrides);
  const s = resolveSettings(overrides);
  return {
    allowedOrigins: [...s.allowedOrigins],
    authorization: s.authMode as LivenessAuthorization,
    ...(s.userPoolArn !== undefined && {
      userPool: cognito.UserPool.fromUserPoolArn(scope, 'UserPool', s.userPoolArn),
    }),
    allowGuestAccess: s.allowGuestAccess,
    confidenceThreshold: s.confidenceThreshold,
    exposeDetails: s.exposeDetails,
    images: {
      store: s.storeImages,
      retention: Duration.days(s.imageRetentionDays),
      encryption: s.imageEncryption as ImageEncryption,
      serverAccessLogs: s.serverAccessLogs,
      defaultAuditImagesLimit: s.defaultAuditImagesLimit,
      presignedUrlTtl: Duration.seconds(s.presignedUrlTtlSeconds),
    },
    challenges: {
      allowed: s.allowedChallenges.map((c) => c as LivenessChallenge),
      ...(s.minChallengeVersions !== undefined && {
        minVersions: {
          ...(s.minChallengeVersions.FaceMovementAndLightChallenge !== undefined && {
            faceMovementAndLight: s.minChallengeVersions.FaceMovementAndLightChallenge,
          }),
          ...(s.minChallengeVersions.FaceMovementChallenge !== undefined && {
            faceMovement: s.minChallengeVersions.FaceMovementChallenge,
          }),
        },
      }),
    },
    attestation: {
      ttl: Duration.seconds(s.attestationTtlSeconds),
      ...(s.attestationIssuer !== undefined && { issuer: s.attestationIssuer }),
      ...(s.attestationAudience !== undefined && { audience: s.attestationAudience }),
    },
    verdictRetention: Duration.days(s.verdictRetentionDays),
    lockout: {
      maxFailures: s.lockoutMaxFailures,
      window: Duration.seconds(s.lockoutWindowSeconds),
      duration: Duration.seconds(s.lockoutSeconds),
      backoffFactor: s.lockoutBackoffFactor,
      maxDuration: Duration.seconds(s.lockoutMaxSeconds),
    },
    removalPolicy: s.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    logRetention: s.logRetentionDays as logs.RetentionDays,
    throttling: { rateLimit: s.throttlingRateLimit, burstLimit: s.throttlingBurstLimit },
    firewall: { enabled: s.waf, rateLimitPerIp: s.wafRateLimit },
    functions: {
      timeout: Duration.seconds(s.functionTimeoutSeconds),
      sdkTimeout: Duration.millis(s.sdkTimeoutMs),
      sdkMaxAttempts: s.sdkMaxAttempts,
      pollRetryAfter: Duration.seconds(s.pollRetryAfterSeconds),
      traceAwsCalls: s.traceAwsCalls,
    },
    stageOptions: { tracingEnabled: s.apiTracing },
    restrictToRegion: s.restrictToRegion,
    allowUnsupportedRegion: s.allowUnsupportedRegion,
    monitoring: {
      alarms: s.alarms,
      dashboard: s.dashboard,
      ...(s.alarmEmail !== undefined && { alarmEmail: s.alarmEmail }),
      thresholds: {
        serverErrorPercent: s.alarmServerErrorPercent,
        latencyP99: Duration.millis(s.alarmLatencyP99Ms),
        functionErrors: s.alarmFunctionErrors,
        functionThrottles: s.alarmFunctionThrottles,
        upstreamThrottles: s.alarmUpstreamThrottles,
        upstreamServerErrors: s.alarmUpstreamServerErrors,
        failedCheckPercent: s.alarmFailedCheckPercent,
        lockoutsStarted: s.alarmLockoutsStarted,
        wafBlockedRequests: s.alarmWafBlockedRequests,
        minSamples: s.alarmMinSamples,
      },
    },
  };
}

/**
 * Reads settings from CDK context values. Context given with `-c name=value` arrives as a string, so strings are
 * parsed by the type of the default: numbers, booleans, and comma-separated lists for allowedOrigins and
 * allowedChallenges.
 */
export function settingsFromContext(tryGetContext: (key: string) => unknown): Partial<FaceLivenessSettings> {
  const out: Record<string, unknown> = {};
  for (const name of SETTING_NAMES) {
    const raw = tryGetContext(name);
    if (raw === undefined) continue;
    out[name] = parseContextValue(name, raw);
  }
  return out as Partial<FaceLivenessSettings>;
}

function parseContextValue(name: SettingName, raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  // `-c minChallengeVersions=FaceMovementAndLightChallenge=2.0.0,FaceMovementChallenge=1.0.0`, as the variable reads.
  if (name === 'minChallengeVersions') {
    const parsed = SETTING_VARIABLES.find((v) => v.setting === 'minChallengeVersions')!.kind.parse(raw, name);
    return parsed.ok ? parsed.value : raw;
  }
  const kind = name === 'allowedOrigins' || name === 'allowedChallenges' ? 'list' : typeof DEFAULT_SETTINGS[name];
  switch (kind) {
    case 'list':
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
    case 'number':
      return raw.trim() === '' ? raw : Number(raw);
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : raw;
    default:
      return raw;
  }
}
