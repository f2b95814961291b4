/**
 * The attempt bound as a property: random interleavings of creates, completions and result reads from several owners,
 * run concurrently against the real session store (on the local DynamoDB) and the real get-result core, never decide
 * more than the lockout's maximum of failures of one owner in a window, and never hand out a live verdict to a read
 * that began after its owner's lockout was written.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { GetFaceLivenessSessionResultsResponse } from '@aws-sdk/client-rekognition';
import { ApiError } from '../../lambda/shared/errors';
import { getResult, type GetResultDeps } from '../../lambda/get-result/core';
import { seedSession, startTestTable, type TestTable } from '../support/session-table';

const LOCKOUT = { maxFailures: 3, windowMs: 180_000, lockoutMs: 1_800_000, backoffFactor: 2, maxLockoutMs: 86_400_000 };

let table: TestTable;
beforeAll(async () => {
  table = await startTestTable();
});
afterAll(() => table.close());

type Op = { kind: 'create' | 'complete' | 'read'; owner: number; slot: number };
const OWNERS = 3;
const SLOTS = 8;

/**
 * Each session's life in order (created, completed, read twice), at random steps; the lives of all sessions are
 * interleaved by step, and the operations of one step run concurrently.
 */
const batchesArb: fc.Arbitrary<Op[][]> = fc
  .array(
    fc.tuple(
      fc.integer({ min: 0, max: 9 }),
      fc.integer({ min: 0, max: 9 }),
      fc.integer({ min: 0, max: 9 }),
      fc.integer({ min: 0, max: 9 }),
    ),
    {
      minLength: OWNERS * SLOTS,
      maxLength: OWNERS * SLOTS,
    },
  )
  .map((lives) => {
    const steps: Op[][] = Array.from({ length: 10 }, () => []);
    lives.forEach((life, i) => {
      const [created, completed, read1, read2] = [...life].sort((x, y) => x - y) as [number, number, number, number];
      const owner = i % OWNERS;
      const slot = Math.floor(i / OWNERS);
      steps[created]!.push({ kind: 'create', owner, slot });
      steps[completed]!.push({ kind: 'complete', owner, slot });
      steps[read1]!.push({ kind: 'read', owner, slot });
      steps[read2]!.push({ kind: 'read', owner, slot });
    });
    return steps;
  });

it('never decides more than maxFailures failures per owner, nor a live verdict for a read begun after the lockout', async () => {
  await fc.assert(
    fc.asyncProperty(
      batchesArb,
      fc.array(fc.boolean(), { minLength: OWNERS * SLOTS, maxLength: OWNERS * SLOTS }),
      async (batches, liveBySlot) => {
        const run = randomUUID().slice(0, 8);
        const owners = Array.from({ length: OWNERS }, (_, i) => i).map((i) => `test:${run}:${i}`);
        const ids = owners.map(() => Array.from({ length: SLOTS }, () => randomUUID()));
        const created = new Set<string>();
        const results = new Map<string, GetFaceLivenessSessionResultsResponse>();
        const lockWrittenAt: (number | undefined)[] = owners.map(() => undefined);
        const failuresDecided = owners.map(() => 0);
        let clock = 0;
        const deps: GetResultDeps = {
          rekognition: {
            send: (async (command: { input: { SessionId: string } }) =>
              results.get(command.input.SessionId) ?? { Status: 'IN_PROGRESS' }) as never,
          },
          sessions: table.store,
          config: {
            confidenceThreshold: 80,
            exposeDetails: false,
            imageKeyPrefix: '',
            lockout: LOCKOUT,
            challengePolicy: { allowed: ['FaceMovementAndLightChallenge'] },
          },
          presign: async () => 'https://signed.example/x',
          telemetry: { session: () => {}, resultRead: () => {}, warn: () => {}, lockoutStarted: () => {} } as never,
          now: Date.now,
        };

        const apply = async ({ kind, owner, slot }: Op): Promise<void> => {
          const id = ids[owner]![slot]!;
          if (kind === 'create') {
            if (!created.has(id)) await seedSession(table.store, id, owners[owner]);
            created.add(id);
            return;
          }
          if (kind === 'complete') {
            const live = liveBySlot[owner * SLOTS + slot]!;
            results.set(id, {
              SessionId: id,
              Status: 'SUCCEEDED',
              Confidence: live ? 95 : 10,
              Challenge: { Type: 'FaceMovementAndLightChallenge', Version: '1.0.0' },
              ReferenceImage: { Bytes: new Uint8Array([1]) },
            });
            return;
          }
          if (!created.has(id)) return;
          const began = clock++;
          try {
            const result = await getResult(id, owners[owner]!, deps);
            if (result.done && result.isLive) {
              // A live verdict for a read that began after the lockout was written breaks the bound.
              const lockedAt = lockWrittenAt[owner];
              expect(lockedAt === undefined || began < lockedAt).toBe(true);
            }
          } catch (error) {
            if (!(error instanceof ApiError) || (error.code !== 'LOCKED_OUT' && error.code !== 'THROTTLED'))
              throw error;
          }
          const lockedUntil = await table.store.lockedUntil(owners[owner]!);
          if (lockedUntil > Date.now() && lockWrittenAt[owner] === undefined) lockWrittenAt[owner] = clock++;
        };

        // Within a step, completions land first (they are instant in Rekognition), then the rest runs concurrently.
        for (const batch of batches) {
          await Promise.all(batch.filter((op) => op.kind === 'complete').map(apply));
          await Promise.all(batch.filter((op) => op.kind !== 'complete').map(apply));
        }

        for (let o = 0; o < OWNERS; o++) {
          for (const id of ids[o]!) {
            const verdict = (await table.store.getSession(id))?.verdict;
            if (verdict !== undefined && !verdict.isLive) failuresDecided[o]!++;
          }
          expect(failuresDecided[o]).toBeLessThanOrEqual(LOCKOUT.maxFailures);
          // Once locked, every read of a live session is refused.
          if ((await table.store.lockedUntil(owners[o]!)) > Date.now()) {
            for (const id of ids[o]!.filter((i) => created.has(i) && results.get(i)?.Confidence === 95)) {
              await expect(getResult(id, owners[o]!, deps)).rejects.toMatchObject({ code: 'LOCKED_OUT' });
            }
          }
        }
      },
    ),
    { numRuns: 15 },
  );
}, 120_000);
