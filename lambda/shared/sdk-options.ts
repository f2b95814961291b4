/**
 * The options every AWS SDK client of the handlers gets: region, standard retries, attempts and a per-call timeout, and
 * an endpoint override in local mode. No imports, so the benchmark's bare twins build their clients from it too.
 */
export interface SdkSettings {
  readonly region: string | undefined;
  readonly sdkMaxAttempts: number;
  readonly sdkTimeoutMs: number;
}

export function sdkClientOptions(settings: SdkSettings, endpoint: string | undefined) {
  return {
    region: settings.region,
    retryMode: 'standard',
    maxAttempts: settings.sdkMaxAttempts,
    // Without throwOnRequestTimeout the SDK only logs a warning when requestTimeout passes and keeps waiting.
    requestHandler: {
      connectionTimeout: settings.sdkTimeoutMs,
      requestTimeout: settings.sdkTimeoutMs,
      throwOnRequestTimeout: true,
    },
    ...(endpoint !== undefined && endpoint !== '' && { endpoint }),
  } as const;
}
