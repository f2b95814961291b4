/**
 * The options every AWS SDK client of the handlers gets: region, standard retries, attempts and a per-call timeout, and
 * an endpoint override in local mode. No runtime imports, so the benchmark's bare twins build their clients from it too.
 */
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

export interface SdkSettings {
  readonly region: string | undefined;
  readonly sdkMaxAttempts: number;
  readonly sdkTimeoutMs: number;
}

type SdkLogger = NonNullable<DynamoDBClientConfig['logger']>;

/**
 * The SDK's own logging stays off, as with its default logger, but without an `info` method: the SDK's logger
 * middleware calls `logger?.info?.({ input: filterSensitiveLog(input), output: ... })` after every call, so with the
 * default no-op logger it still builds a filtered copy of each call's input and output to throw away. Warnings and
 * errors are dropped as before (the handlers log failures themselves, without request data).
 */
export const SDK_LOGGER = { trace() {}, debug() {}, warn() {}, error() {} } as Omit<SdkLogger, 'info'> as SdkLogger;

export function sdkClientOptions(settings: SdkSettings, endpoint: string | undefined) {
  return {
    region: settings.region,
    retryMode: 'standard',
    maxAttempts: settings.sdkMaxAttempts,
    // Each client resolves its middleware stack once per command type instead of on every call. No middleware is
    // added after a client's first call (tracing wraps a client when it is built).
    cacheMiddleware: true,
    logger: SDK_LOGGER,
    // Without throwOnRequestTimeout the SDK only logs a warning when requestTimeout passes and keeps waiting.
    requestHandler: {
      connectionTimeout: settings.sdkTimeoutMs,
      requestTimeout: settings.sdkTimeoutMs,
      throwOnRequestTimeout: true,
    },
    ...(endpoint !== undefined && endpoint !== '' && { endpoint }),
  } as const;
}
