/**
 * Props that synthesize but weaken the backend: each one becomes a CDK warning annotation at synth (`cdk synth`
 * prints it; `--strict` fails on it), so an unsafe choice is never silent. Pure over the resolved handler settings;
 * messages name the props.
 */
import type { HandlerSettings } from '../contract/setting-rules';

export interface SettingWarning {
  /** Stable id (`@face-liveness/...`), for `Annotations.acknowledgeWarning`. */
  readonly id: string;
  readonly message: string;
}

/** AWS: 50–60 stops presentation attacks; below 50 a check passes what it should not. */
export const MIN_SAFE_CONFIDENCE_THRESHOLD = 50;
/** Presigned image URLs living longer than this are easy to leak and reuse. */
export const MAX_SAFE_PRESIGNED_URL_TTL_SECONDS = 300;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function settingWarnings(
  s: Pick<
    HandlerSettings,
    'confidenceThreshold' | 'allowedOrigins' | 'lockoutMaxFailures' | 'presignedUrlTtlSeconds' | 'exposeDetails'
  >,
  context: {
    readonly deployedEnvironment: boolean;
    readonly defaultOrigins: readonly string[];
    /** Deploy-time values (tokens, e.g. a CfnParameter) are unknown at synth: no warning is guessed for them. */
    readonly isUnresolved?: (value: unknown) => boolean;
  },
): SettingWarning[] {
  const warnings: SettingWarning[] = [];
  const known = (value: unknown) => !(context.isUnresolved?.(value) ?? false);
  if (known(s.confidenceThreshold) && s.confidenceThreshold < MIN_SAFE_CONFIDENCE_THRESHOLD) {
    warnings.push({
      id: '@face-liveness/low-threshold',
      message: `confidenceThreshold is ${s.confidenceThreshold}, below ${MIN_SAFE_CONFIDENCE_THRESHOLD}: AWS advises 50–60 against presentation attacks and 80–90 against injection attacks.`,
    });
  }
  if (s.allowedOrigins.includes('*')) {
    warnings.push({
      id: '@face-liveness/wildcard-origin',
      message: "allowedOrigins is '*': any web page may call this API from a visitor's browser.",
    });
  }
  const insecure = s.allowedOrigins.filter((o) => o.startsWith('http:') && !LOOPBACK_HOSTS.has(hostOf(o)));
  if (insecure.length > 0) {
    warnings.push({
      id: '@face-liveness/http-origin',
      message: `allowedOrigins has http: origins other than localhost (${insecure.join(', ')}): pages served without TLS can be altered in transit.`,
    });
  }
  if (
    context.deployedEnvironment &&
    s.allowedOrigins.length > 0 &&
    s.allowedOrigins.every((o) => context.defaultOrigins.includes(o))
  ) {
    warnings.push({
      id: '@face-liveness/default-origin',
      message: `allowedOrigins is the local development default (${s.allowedOrigins.join(', ')}) in a stack bound to a real account and region: set your app's origin.`,
    });
  }
  if (known(s.lockoutMaxFailures) && s.lockoutMaxFailures === 0) {
    warnings.push({
      id: '@face-liveness/lockout-off',
      message:
        'lockout.maxFailures is 0: the failure lockout is off, so one caller may try any number of checks (AWS: at most 5 failures in 3 minutes).',
    });
  }
  if (known(s.presignedUrlTtlSeconds) && s.presignedUrlTtlSeconds > MAX_SAFE_PRESIGNED_URL_TTL_SECONDS) {
    warnings.push({
      id: '@face-liveness/long-presigned-urls',
      message: `images.presignedUrlTtl is ${s.presignedUrlTtlSeconds} seconds: presigned image URLs live longer than ${MAX_SAFE_PRESIGNED_URL_TTL_SECONDS / 60} minutes.`,
    });
  }
  if (s.exposeDetails) {
    warnings.push({
      id: '@face-liveness/expose-details',
      message:
        'exposeDetails is on: live results carry their confidence and face images (biometric data) to the browser; AWS advises keeping them on the server.',
    });
  }
  return warnings;
}

function hostOf(origin: string): string {
  try {
    return new URL(origin).host.replace(/:\d+$/, '');
  } catch {
    return origin;
  }
}
