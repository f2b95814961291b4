/**
 * Local mode only: asks the demo app backend (local/web/demo-backend.ts, on this page's origin) for an identity
 * check's one-time token. The page only says which demo flow to play; the demo backend decides the subject and the
 * photo, as an app's own backend does in a real deployment.
 */
export type DemoMode = 'liveness' | 'id-photo' | 'enrol-verify';

/** The demo ID photos the demo backend can use, and what each shows (the camera plays person 1). */
export const DEMO_ID_PHOTOS = {
  p1: 'Person 1 (the one in front of the camera)',
  p2: 'Person 2 (someone else)',
  none: 'No face',
  two: 'Two faces',
} as const;
export type DemoIdPhoto = keyof typeof DEMO_ID_PHOTOS;

export type DemoFlowRequest = { flow: 'id-photo'; person: DemoIdPhoto } | { flow: 'enrol' | 'verify' };

export async function demoCheckToken(demoBackend: string, request: DemoFlowRequest): Promise<string> {
  const response = await fetch(new URL('identity-checks', demoBackend), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
    credentials: 'same-origin',
  });
  const body = (await response.json().catch(() => ({}))) as { checkToken?: unknown; error?: { message?: string } };
  if (!response.ok || typeof body.checkToken !== 'string') {
    throw new Error(
      `The demo backend did not open a check (${response.status}): ${body.error?.message ?? 'no reason'}`,
    );
  }
  return body.checkToken;
}
