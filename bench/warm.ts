/**
 * Warm overhead: one process per variant, all started up front; the parent then asks them for batches in rotating
 * order, one at a time, so each variant has its own heap and JIT state while the machine's noise is shared alike.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { AWS_ANSWERS } from './aws-answers';
import { WARM_HOOK } from './build';
import { startChild } from './processes';
import { rotated } from './rotation';

export interface WarmVariant {
  readonly name: string;
  /** A warm-flavour bundle (bench/build.ts). */
  readonly file: string;
  readonly eventFile: string;
  readonly expectedStatus: number;
}

const CHILD = join(__dirname, 'children', 'warm-child.cjs');

type Message =
  | { type: 'ready'; statusCode?: number }
  | { type: 'batch'; micros: number; cpuMicros: number }
  | { type: 'error'; error: string };

/** Microseconds per invocation, one number per batch: wall time, and CPU time of the variant's process (all threads). */
export interface WarmResults {
  readonly wall: Record<string, number[]>;
  readonly cpu: Record<string, number[]>;
}

function nextMessage(child: ChildProcess, name: string, timeoutMs: number): Promise<Message> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (message: Message) => {
      cleanup();
      if (message.type === 'error') reject(new Error(`warm ${name}: ${message.error}`));
      else resolve(message);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`warm ${name} exited (${code})`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`warm ${name}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

export async function measureWarm(
  variants: readonly WarmVariant[],
  {
    warmup,
    batches,
    iterations,
    env,
    workDir,
    timeoutMs = 60_000,
  }: {
    warmup: number;
    batches: number;
    iterations: number;
    env: NodeJS.ProcessEnv;
    workDir: string;
    timeoutMs?: number;
  },
): Promise<WarmResults> {
  const answersFile = join(workDir, 'aws-answers.json');
  writeFileSync(answersFile, JSON.stringify(AWS_ANSWERS));
  const children = new Map<string, ChildProcess>();
  try {
    for (const v of variants) {
      const child = startChild(process.execPath, [CHILD, v.file, v.eventFile, answersFile, WARM_HOOK], {
        env,
        stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      });
      children.set(v.name, child);
      const ready = await nextMessage(child, v.name, timeoutMs);
      if (ready.type !== 'ready' || ready.statusCode !== v.expectedStatus)
        throw new Error(`warm ${v.name}: first invocation answered ${JSON.stringify(ready)}`);
    }
    const batch = async (v: WarmVariant, n: number): Promise<{ micros: number; cpuMicros: number }> => {
      const child = children.get(v.name)!;
      const answer = nextMessage(child, v.name, timeoutMs);
      child.send({ n });
      const message = await answer;
      if (message.type !== 'batch') throw new Error(`warm ${v.name}: unexpected ${JSON.stringify(message)}`);
      return message;
    };
    // Warm-up in slices, also interleaved, so every variant is optimised before the first measured batch.
    const slices = Math.max(1, Math.ceil(warmup / Math.max(1, iterations)));
    for (let s = 0; s < slices; s++) {
      for (const v of rotated(variants, s)) await batch(v, Math.ceil(warmup / slices));
    }
    const results: WarmResults = {
      wall: Object.fromEntries(variants.map((v) => [v.name, []])),
      cpu: Object.fromEntries(variants.map((v) => [v.name, []])),
    };
    for (let b = 0; b < batches; b++) {
      for (const v of rotated(variants, b)) {
        const { micros, cpuMicros } = await batch(v, iterations);
        results.wall[v.name]!.push(micros);
        results.cpu[v.name]!.push(cpuMicros);
      }
    }
    return results;
  } finally {
    for (const child of children.values()) {
      if (child.connected) child.disconnect();
      child.kill('SIGKILL');
    }
  }
}
