/**
 * The construct's defaults and the limits of its construct-only props, in one place: lib/resolve-props.ts applies
 * and checks them, and this repository's app (bin/settings.ts) derives its context defaults from them. The defaults
 * and ranges the handlers read too are the contract's (contract/setting-rules.ts).
 */
import { Duration } from 'aws-cdk-lib';
import { HANDLER_SETTING_DEFAULTS, type HandlerSettings } from '../contract/setting-rules';

/** CloudWatch Logs' allowed retention values (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** The defaults of the construct-only props (the handler settings' defaults: HANDLER_DEFAULTS). */
export const CONSTRUCT_DEFAULTS = {
  storeImages: true,
  imageRetention: Duration.days(30),
  serverAccessLogs: true,
  throttlingRateLimit: 10,
  throttlingBurstLimit: 20,
  firewallEnabled: true,
  firewallRateLimitPerIp: 300,
  allowGuestAccess: true,
  restrictToRegion: true,
  logRetentionDays: 30,
  functionTimeout: Duration.seconds(10),
  allowUnsupportedRegion: false,
  apiTracing: false,
  alarms: true,
  dashboard: true,
  thresholds: {
    serverErrorPercent: 5,
    latencyP99: Duration.seconds(3),
    functionErrors: 1,
    functionThrottles: 1,
    upstreamThrottles: 5,
    upstreamServerErrors: 5,
    failedCheckPercent: 50,
    lockoutsStarted: 5,
    wafBlockedRequests: 100,
    minSamples: 10,
  },
} as const;

/** The defaults of what the handlers read (their environment), the same values the handlers assume when unset. */
export const HANDLER_DEFAULTS: HandlerSettings = HANDLER_SETTING_DEFAULTS;

/** Integer limits of the construct-only props, inclusive. */
export const CONSTRUCT_LIMITS = {
  imageRetentionDays: { min: 1, max: 3650 },
  throttlingRateLimit: { min: 1, max: 10_000 },
  throttlingBurstLimit: { min: 1, max: 5000 },
  firewallRateLimitPerIp: { min: 10, max: 2_000_000_000 },
  functionTimeoutSeconds: { min: 3, max: 29 },
  serverErrorPercent: { min: 1, max: 100 },
  latencyP99Ms: { min: 50, max: 29_000 },
  functionErrors: { min: 1, max: 1_000_000 },
  functionThrottles: { min: 1, max: 1_000_000 },
  upstreamThrottles: { min: 1, max: 1_000_000 },
  upstreamServerErrors: { min: 1, max: 1_000_000 },
  failedCheckPercent: { min: 1, max: 100 },
  lockoutsStarted: { min: 1, max: 1_000_000 },
  wafBlockedRequests: { min: 1, max: 2_000_000_000 },
  minSamples: { min: 1, max: 1_000_000 },
} as const;

/** Deliberately loose (SNS sends a confirmation mail anyway): one @, no spaces, a dot in the domain. */
export const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** A Cognito user pool ARN. */
export const USER_POOL_ARN_PATTERN = /^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/[\w-]+_[0-9a-zA-Z]+$/;

/** An attestation issuer or audience: 1–256 characters without whitespace, such as a URL. */
export const ATTESTATION_NAME_PATTERN = /^\S{1,256}$/;
