/** Shared by the local-mode security tests: callers with their own local identity, raw requests, and statistics. */
import { createLivenessClient, type LivenessClient } from '../../client';
import { HANDLER_ENV } from '../../contract/handler-environment';
import { ownerRef } from '../../lambda/shared/identity';
import type { LocalBackend, LocalBackendOptions } from '../../local/stack';
import { LOCAL_REGION, startLocalBackend } from '../../local/stack';

/**
 * A typed client that signs with its own access key id: with `auth: 'none'` (LOCAL_AUTH=none) that is its identity,
 * `local:<key>` (local/api/proxy-event.ts), and signatures are not checked. These tests use that mode to name many
 * callers cheaply; test/local/local-auth.test.ts covers the identity pool and the signature check.
 */
/**
 * Local mode as these tests use it: many cheap callers (auth 'none', the caller named by its access key id), no image
 * bucket, none of the developer's environment. With `scripted`, sessions end only when the test completes them.
 */
export async function startSecurityBackend(
  options: { scripted?: boolean; settings?: LocalBackendOptions['settings'] } = {},
): Promise<LocalBackend> {
  const stack = await startLocalBackend({
    apiPort: 0,
    emulatorPort: 0,
    auth: 'none',
    honourEnvironment: false,
    settings: { storeImages: false, ...options.settings },
  });
  if (options.scripted) stack.emulator.defaults.set({ autoComplete: false });
  return stack;
}

export function clientAs(stack: LocalBackend, accessKeyId: string): LivenessClient {
  return createLivenessClient({
    apiUrl: stack.api.url,
    region: LOCAL_REGION,
    credentials: { accessKeyId, secretAccessKey: 'local-secret' },
  });
}

/** The Authorization header local mode reads the caller from, for raw requests. */
export function authorizationAs(accessKeyId: string): Record<string, string> {
  return {
    Authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/${LOCAL_REGION}/execute-api/aws4_request, SignedHeaders=host, Signature=00`,
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly ms: number;
}

export async function raw(
  stack: LocalBackend,
  method: 'GET' | 'POST',
  path: string,
  accessKeyId?: string,
  body?: unknown,
): Promise<RawResponse> {
  const started = performance.now();
  const res = await fetch(`${stack.api.url}${path}`, {
    method,
    headers: {
      ...(accessKeyId !== undefined && authorizationAs(accessKeyId)),
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
      Origin: 'http://localhost:5173',
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { status: res.status, headers, body: text, ms: performance.now() - started };
}

export const errorCode = (r: RawResponse): string | undefined =>
  (JSON.parse(r.body) as { error?: { code?: string } }).error?.code;

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function latencyLine(name: string, values: readonly number[]): string {
  const f = (v: number) => v.toFixed(1);
  return `${name.padEnd(10)} n=${String(values.length).padStart(5)}  p50 ${f(percentile(values, 50))} ms  p95 ${f(percentile(values, 95))} ms  p99 ${f(percentile(values, 99))} ms  max ${f(Math.max(...values))} ms`;
}

/** Runs `worker` for each item with at most `concurrency` running at once. */
export async function pool<T>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await worker(items[i]!, i);
      }
    }),
  );
}

/** The owner reference local mode stores for the caller named by `accessKeyId` (its owner is `cognito:local:<key>`). */
export function ownerRefOf(stack: LocalBackend, accessKeyId: string): string {
  return ownerRef(`cognito:local:${accessKeyId}`, stack.handlerEnv[HANDLER_ENV.OWNER_REF_KEY]);
}
