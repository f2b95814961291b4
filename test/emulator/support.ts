/** Helpers shared by the emulator tests: a real RekognitionClient, a manual clock, the control endpoint over HTTP. */
import { RekognitionClient } from '@aws-sdk/client-rekognition';
import type { RekognitionEmulator } from '../../local/emulators/rekognition';
import { createArazzoRequestSigner } from '../support/arazzo';

export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export function rekognitionClient(endpoint: string, region = 'us-east-1'): RekognitionClient {
  return new RekognitionClient({ endpoint, region, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
}

export interface ManualClock {
  readonly now: () => number;
  advance(ms: number): void;
}

export function manualClock(start = Date.UTC(2026, 10, 21, 12, 0, 0)): ManualClock {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
  };
}

export async function control(
  emulator: RekognitionEmulator,
  method: 'GET' | 'PUT' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const withBody = method === 'PUT' || method === 'POST';
  const res = await fetch(`${emulator.controlUrl}${path}`, {
    method,
    ...(withBody && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) }),
  });
  return { status: res.status, body: await res.json() };
}

const signer = createArazzoRequestSigner({ region: 'us-east-1', credentials: TEST_CREDENTIALS });

/** A raw AWS JSON 1.1 call, signed unless `unsigned`; for what the typed SDK cannot send. */
export async function rawAwsCall(
  url: string,
  options: {
    target?: string;
    body?: string;
    contentType?: string;
    unsigned?: boolean;
    headers?: Record<string, string>;
  } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/x-amz-json-1.1',
    ...(options.target !== undefined && { 'x-amz-target': options.target }),
    ...options.headers,
  };
  const body = options.body ?? '{}';
  const signed = options.unsigned ? headers : await signer({ method: 'POST', url: `${url}/`, headers, body });
  const res = await fetch(`${url}/`, { method: 'POST', headers: signed, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** Resolves with the error a promise rejects with (fails the test if it resolves). */
export async function errorOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
