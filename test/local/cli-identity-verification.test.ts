/**
 * Identity verification through the CLI against local mode, in-process: `check --reference --subject`, `enrol`,
 * `verify` and `erase` as a user types them (no --api: npm start's API, found by PORT), the identity routes signed
 * with local mode's app-backend pair, the session by a guest identity; the emulator's control endpoint says who is in
 * front of the camera, and ID photos of synthetic people are written to files with idPhoto().
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { verifyAttestation } from '../../client/server';
import { JWKS_PATH } from '../../contract/attestation';
import { LOCAL_REFERENCE_PHOTO_SOURCE } from '../../contract/local-mode';
import { idPhoto, type IdPhotoOptions } from '../../local/emulators/rekognition';
import { LOCAL_ATTESTATION_ISSUER, startLocalBackend, type LocalBackend } from '../../local/stack';

let stack: LocalBackend;
let dir: string;

beforeAll(async () => {
  // Failed checks are part of the cases here: no lockout may end the file early.
  stack = await startLocalBackend({ apiPort: 0, emulatorPort: 0, cognitoPort: 0, settings: { lockoutMaxFailures: 0 } });
  dir = mkdtempSync(join(tmpdir(), 'face-liveness-id-photos-'));
});
afterAll(() => stack.close());
beforeEach(async () => {
  stack.emulator.reset();
  stack.emulator.defaults.set({ startAfterMs: 20, completeAfterMs: 80 });
  await inFrontOfCamera({ person: 'p1' });
});

/** Who is in front of the camera (and how the session ends), through the emulator's control endpoint. */
async function inFrontOfCamera(outcome: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${stack.emulator.controlUrl}/defaults`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ outcome }),
  });
  expect(response.status).toBe(200);
}

/** An ID photo of these people, written to a file as a user would have it. */
function photoFile(name: string, faces: IdPhotoOptions['faces']): string {
  const path = join(dir, name);
  writeFileSync(path, idPhoto({ faces }));
  return path;
}

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    // No AWS_* variables: local mode needs none.
    env: { PORT: String(stack.api.port), LOCAL_COGNITO_PORT: String(stack.identity.port), XDG_CACHE_HOME: dir },
  });
  return { code, stdout, stderr };
}

describe('check --reference --subject (ID photo)', () => {
  test('the same person: exit 0, matched', async () => {
    const run = await cli(['check', '--reference', photoFile('p1.jpg', ['p1']), '--subject', 'alice']);
    expect(run).toMatchObject({ code: 0, stderr: expect.not.stringMatching(/error/i) });
    expect(run.stdout).toMatch(
      /^✔ live \(session [0-9a-f]{8}…\)\n✔ matched the reference photo \(subject alice, threshold 99\)\n$/,
    );
  });

  test('another person in front of the camera: exit 1, not matched', async () => {
    await inFrontOfCamera({ person: 'p2' });
    const run = await cli(['check', '--reference', photoFile('p1.jpg', ['p1']), '--subject', 'alice']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^✔ live .*\n✘ not matched: BELOW_THRESHOLD — the faces are not similar enough\./);
  });

  test('an ID photo with no face: exit 1, NO_FACE_IN_REFERENCE printed', async () => {
    const run = await cli(['check', '--reference', photoFile('nobody.jpg', []), '--subject', 'alice']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✘ not matched: NO_FACE_IN_REFERENCE — the reference photo has no face\./);
  });

  test('an ID photo with two faces: exit 1, MULTIPLE_FACES printed', async () => {
    const run = await cli(['check', '--reference', photoFile('two.jpg', ['p1', 'p2']), '--subject', 'alice']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✘ not matched: MULTIPLE_FACES — the reference photo has more than one face\./);
  });

  test.each([
    ['FAILED', { person: 'p1', status: 'FAILED' }],
    ['a low confidence', { person: 'p1', confidence: 10 }],
  ])('liveness %s with a matching photo: exit 1, never matched', async (_name, outcome) => {
    await inFrontOfCamera(outcome);
    const run = await cli(['check', '--reference', photoFile('p1.jpg', ['p1']), '--subject', 'alice']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^✘ not live: .*\n✘ not matched: NOT_LIVE — the check was not live/);
  });

  test('an s3:// reference in an allowed source: exit 0 for the same person', async () => {
    await inFrontOfCamera({ person: 'p5' });
    const name = `${LOCAL_REFERENCE_PHOTO_SOURCE.prefix}p5.jpg`;
    stack.s3.direct.put(LOCAL_REFERENCE_PHOTO_SOURCE.bucket, name, idPhoto({ faces: ['p5'] }), {
      'content-type': 'image/jpeg',
    });
    const run = await cli([
      'check',
      '--reference',
      `s3://${LOCAL_REFERENCE_PHOTO_SOURCE.bucket}/${name}`,
      '--subject',
      'erin',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✔ matched the reference photo \(subject erin/);
  });

  test('an s3:// reference outside the allowed sources: exit 2, REFERENCE_PHOTO_NOT_ALLOWED', async () => {
    const run = await cli(['check', '--reference', 's3://somebody-elses-bucket/p1.jpg', '--subject', 'alice']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/REFERENCE_PHOTO_NOT_ALLOWED \(HTTP 400\)/);
  });
});

describe('enrol, verify, erase', () => {
  test('verify a subject never enrolled: exit 1, SUBJECT_NOT_ENROLLED', async () => {
    const run = await cli(['verify', '--subject', 'nobody-enrolled']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✘ not matched: SUBJECT_NOT_ENROLLED — no face is enrolled for this subject\./);
  });

  test('enrol, then verify: exit 0 both times; someone else verifying as that subject: exit 1', async () => {
    await inFrontOfCamera({ person: 'p3' });
    const enrol = await cli(['enrol', '--subject', 'carol']);
    expect(enrol.code).toBe(0);
    expect(enrol.stdout).toMatch(/\n✔ enrolled \(subject carol, threshold 99\)\n$/);

    const verify = await cli(['verify', '--subject', 'carol']);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/\n✔ matched the enrolled face \(subject carol, threshold 99\)\n$/);

    await inFrontOfCamera({ person: 'p7' });
    const impostor = await cli(['verify', '--subject', 'carol']);
    expect(impostor.code).toBe(1);
    expect(impostor.stdout).toMatch(/✘ not matched: BELOW_THRESHOLD/);
  });

  test('the same face enrolled for a second subject: exit 1, reported, not enrolled', async () => {
    await inFrontOfCamera({ person: 'p8' });
    expect((await cli(['enrol', '--subject', 'frank'])).code).toBe(0);
    const second = await cli(['enrol', '--subject', 'frank-again']);
    expect(second.code).toBe(1);
    expect(second.stdout).toMatch(/✘ not enrolled: FACE_ENROLLED_FOR_ANOTHER_SUBJECT/);
  });

  test('erase, then verify: exit 1, the subject no longer matches', async () => {
    await inFrontOfCamera({ person: 'p4' });
    expect((await cli(['enrol', '--subject', 'dave'])).code).toBe(0);
    expect((await cli(['verify', '--subject', 'dave'])).code).toBe(0);

    const erase = await cli(['erase', '--subject', 'dave']);
    expect(erase).toMatchObject({ code: 0 });
    expect(erase.stdout).toMatch(/^✔ erased subject dave: 1 enrolled face and \d+ reference photos? deleted\n$/);

    const after = await cli(['verify', '--subject', 'dave']);
    expect(after.code).toBe(1);
    expect(after.stdout).toMatch(/SUBJECT_NOT_ENROLLED/);
  });

  test('erase a subject with nothing stored: exit 0, zero counts (--json)', async () => {
    const run = await cli(['erase', '--subject', 'never-seen', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      ok: true,
      subject: 'never-seen',
      facesDeleted: 0,
      referencePhotosDeleted: 0,
    });
  });
});

describe('the attestation the CLI prints (--json) carries the match, one signature for both', () => {
  const verify = (token: string, options: Partial<Parameters<typeof verifyAttestation>[1]> = {}) =>
    verifyAttestation(token, { jwks: `${stack.api.url}${JWKS_PATH}`, issuer: LOCAL_ATTESTATION_ISSUER, ...options });

  test('matched: verifies for its subject with requireMatch; another subject is refused', async () => {
    const run = await cli(['check', '--reference', photoFile('p1.jpg', ['p1']), '--subject', 'alice', '--json']);
    const { attestation } = JSON.parse(run.stdout) as { attestation: string };

    const claims = await verify(attestation, { expectedSubject: 'alice', requireMatch: 'reference' });
    expect(claims.match).toMatchObject({ method: 'reference', matched: true, threshold: 99, subject: 'alice' });
    expect(JSON.stringify(claims)).not.toMatch(/similarity/i);
    await expect(verify(attestation, { expectedSubject: 'bob' })).rejects.toMatchObject({ code: 'WRONG_SUBJECT' });
  });

  test('not matched: the attestation says so, and requireMatch refuses it', async () => {
    await inFrontOfCamera({ person: 'p2' });
    const run = await cli(['check', '--reference', photoFile('p1.jpg', ['p1']), '--subject', 'alice', '--json']);
    const { attestation } = JSON.parse(run.stdout) as { attestation: string };

    expect((await verify(attestation, { expectedSubject: 'alice' })).match).toMatchObject({ matched: false });
    await expect(verify(attestation, { requireMatch: true })).rejects.toMatchObject({ code: 'NOT_MATCHED' });
  });
});
