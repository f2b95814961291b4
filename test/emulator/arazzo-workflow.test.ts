import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateFaceLivenessSessionCommand } from '@aws-sdk/client-rekognition';
import {
  ArazzoValidationError,
  AWS_JSON_OPERATION,
  createArazzoRequestSigner,
  loadArazzoDocument,
  parseArazzoDocument,
  runWorkflow,
  type ArazzoDocument,
  type RunWorkflowOptions,
} from '../support/arazzo';
import { startRekognitionEmulator, type RekognitionEmulator } from '../../local/emulators/rekognition';
import { manualClock, rekognitionClient, TEST_CREDENTIALS, type ManualClock } from './support';

const SEED = join(__dirname, '../support/arazzo/face-liveness-session.arazzo.yaml');
const SHARED_SEED = join(__dirname, '../../../shared/seeds/face-liveness-session.arazzo.yaml');

describe('Arazzo seed workflow against the emulator', () => {
  let document: ArazzoDocument;
  let clock: ManualClock;
  let emulator: RekognitionEmulator;

  beforeAll(async () => {
    document = await loadArazzoDocument(SEED);
    clock = manualClock();
    emulator = await startRekognitionEmulator({ clock: clock.now });
  });

  beforeEach(() => emulator.reset());

  afterAll(async () => {
    await emulator.close();
  });

  /** Polling waits advance the emulator's clock instead of sleeping: deterministic and fast. */
  const run = (overrides: Partial<RunWorkflowOptions> = {}) =>
    runWorkflow(document, {
      baseUrl: emulator.url,
      defaultOperation: AWS_JSON_OPERATION,
      signRequest: createArazzoRequestSigner({ region: 'us-east-1', credentials: TEST_CREDENTIALS }),
      inputs: { clientRequestToken: `arazzo-${Math.random().toString(36).slice(2)}` },
      loopDelayMs: 200,
      sleep: async (ms) => clock.advance(ms),
      ...overrides,
    });

  it('is the shared seed, unchanged', () => {
    if (!existsSync(SHARED_SEED)) return;
    expect(readFileSync(SEED, 'utf8')).toBe(readFileSync(SHARED_SEED, 'utf8'));
  });

  it('parses the seed', () => {
    expect(document.arazzo).toBe('1.0.1');
    expect(document.workflows.map((w) => w.workflowId)).toEqual(['face-liveness-session']);
    expect(document.workflows[0]?.steps.map((s) => s.stepId)).toEqual(['createSession', 'pollResults']);
  });

  it('polls until SUCCEEDED and returns sessionId, status and confidence', async () => {
    // WHEN
    const result = await run();

    // THEN
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({
      sessionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'SUCCEEDED',
      confidence: 95,
    });
    expect(result.steps.map((s) => `${s.stepId}: ${s.next}`)).toEqual([
      'createSession: next',
      'pollResults: goto pollResults (stillCreated)',
      'pollResults: goto pollResults (stillCreated)',
      'pollResults: goto pollResults (stillRunning)',
      'pollResults: goto pollResults (stillRunning)',
      'pollResults: goto pollResults (stillRunning)',
      'pollResults: goto pollResults (stillRunning)',
      'pollResults: goto pollResults (stillRunning)',
      'pollResults: goto pollResults (stillRunning)',
      'pollResults: end (terminal)',
    ]);
    expect(emulator.sessions.get(result.outputs.sessionId as string)?.status).toBe('SUCCEEDED');
  });

  it('ends on FAILED (no onSuccess action matches: the default ends after the last step) without confidence', async () => {
    // GIVEN
    emulator.defaults.set({ outcome: { status: 'FAILED' } });

    // WHEN
    const result = await run();

    // THEN
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ sessionId: expect.any(String), status: 'FAILED', confidence: undefined });
    expect(result.steps.at(-1)?.next).toBe('end (last step)');
  });

  it('ends on EXPIRED when nobody completes the session within 3 minutes', async () => {
    // GIVEN
    emulator.defaults.set({ autoComplete: false });

    // WHEN
    const result = await run({ loopDelayMs: 20_000 });

    // THEN
    expect(result.outputs).toMatchObject({ status: 'EXPIRED', confidence: undefined });
    expect(result.steps).toHaveLength(1 + 10);
  });

  it('ends on a scripted SUCCEEDED with the scripted confidence', async () => {
    // GIVEN
    emulator.defaults.set({ autoComplete: false });
    let sessionId = '';

    // WHEN: a stand-in for the browser scripts the outcome, then completes the session after the first poll
    const result = await run({
      maxSteps: 10,
      onStep: (record) => {
        if (record.stepId === 'createSession') {
          sessionId = record.outputs.sessionId as string;
          emulator.sessions.setOutcome(sessionId, { confidence: 12.5 });
        } else if (record.outputs.status === 'CREATED') {
          emulator.streamingSessions.markStreaming(sessionId);
          emulator.streamingSessions.complete(sessionId);
        }
      },
    });

    // THEN
    expect(result.outputs).toMatchObject({ status: 'SUCCEEDED', confidence: 12.5 });
  });

  it('bounds polling with maxSteps', async () => {
    // GIVEN
    emulator.defaults.set({ autoComplete: false });

    // WHEN
    const result = await run({ maxSteps: 5 });

    // THEN
    expect(result.status).toBe('failed');
    expect(result.failure?.message).toMatch(/maxSteps \(5\)/);
    expect(result.steps).toHaveLength(5);
  });

  it('sends the input token, so the session is the one the SDK gets for the same token', async () => {
    // WHEN
    const result = await run({ inputs: { clientRequestToken: 'shared-token-1' } });
    const client = rekognitionClient(emulator.url);
    const again = await client.send(new CreateFaceLivenessSessionCommand({ ClientRequestToken: 'shared-token-1' }));
    client.destroy();

    // THEN
    expect(again.SessionId).toBe(result.outputs.sessionId);
  });

  it('fails the workflow when a step misses its success criteria (no onFailure: break and return)', async () => {
    // GIVEN
    emulator.faults.failNext('InternalServerError', { operation: 'CreateFaceLivenessSession' });

    // WHEN
    const result = await run();

    // THEN
    expect(result.status).toBe('failed');
    expect(result.failure).toMatchObject({ stepId: 'createSession', statusCode: 500 });
    expect(result.outputs.sessionId).toBeUndefined();
  });

  it('needs the SigV4 signer: unsigned requests are refused by the emulator', async () => {
    const result = await run({ signRequest: undefined });
    expect(result.status).toBe('failed');
    expect(result.failure?.statusCode).toBe(400);
  });

  it('rejects an input of the wrong type', async () => {
    await expect(run({ inputs: { clientRequestToken: 5 } })).rejects.toThrow(/clientRequestToken.*string/);
  });
});

describe('Arazzo document checks', () => {
  const valid = readFileSync(SEED, 'utf8');

  it.each([
    ['a wrong Arazzo version', valid.replace('arazzo: 1.0.1', 'arazzo: 2.0.0'), /\$\.arazzo: must match/],
    [
      'a duplicate stepId',
      valid.replace('stepId: pollResults\n', 'stepId: createSession\n'),
      /duplicate stepId 'createSession'/,
    ],
    [
      'a goto to an unknown step',
      valid.replace('stepId: pollResults\n      criteria', 'stepId: nowhere\n      criteria'),
      /no step 'nowhere'/,
    ],
    [
      'an unknown criterion type',
      valid.replace('type: jsonpath\n    - name: stillRunning', 'type: xpath\n    - name: stillRunning'),
      /must be 'simple', 'regex' or 'jsonpath'/,
    ],
    [
      'a step without operation',
      valid.replace(/\n\s+operationId: createFaceLivenessSession/, ''),
      /exactly one of 'operationId' or 'operationPath'/,
    ],
    ['unsupported components', `${valid}components: {}\n`, /components: is not supported/],
    ['no workflows', valid.replace(/workflows:[\s\S]*$/, 'workflows: []\n'), /workflows: must not be empty/],
    [
      'a parameter without in',
      valid.replace('      in: header\n      value: RekognitionService.CreateFaceLivenessSession', '      value: x'),
      /'in' is required/,
    ],
  ])('rejects %s', (_, text, problem) => {
    // WHEN
    let error: unknown;
    try {
      parseArazzoDocument(text);
    } catch (err) {
      error = err;
    }

    // THEN
    expect(error).toBeInstanceOf(ArazzoValidationError);
    expect((error as ArazzoValidationError).problems.join('\n')).toMatch(problem);
  });

  it('rejects text that is not YAML', () => {
    expect(() => parseArazzoDocument('a: [')).toThrow(ArazzoValidationError);
  });
});
