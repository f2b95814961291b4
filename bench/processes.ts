/**
 * Every child process the bench starts goes through here, so that none outlives the run: each has a time limit, and
 * an exit, an uncaught error or Ctrl-C kills the ones still running (by their own pid, nothing broader).
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const live = new Set<ChildProcess>();

export function killAll(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

let installed = false;
function installCleanup(): void {
  if (installed) return;
  installed = true;
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

export function startChild(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  installCleanup();
  const child = spawn(command, args, options);
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
  return child;
}

export interface TimedRun {
  /** Wall time from just before spawn to the child's exit, ms. */
  readonly wallMs: number;
  readonly code: number | null;
  /** What the child wrote to file descriptor 3 (its report channel). */
  readonly report: string;
  readonly stderr: string;
}

/** Runs one child to completion, reporting on fd 3; killed (and rejected) past `timeoutMs`. */
export function runTimed(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = startChild(command, args, { env, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    let report = '';
    let stderr = '';
    child.stdio[3]?.on('data', (chunk: Buffer) => (report += chunk.toString('utf8')));
    // The end is what matters (a crash's message, valgrind's summary): keep the last 16 KB.
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-16_000);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      clearTimeout(timer);
      // fd 3 may still hold buffered data after 'exit': wait for the pipe to close.
      const done = () => resolve({ wallMs, code, report, stderr });
      const pipe = child.stdio[3] as
        | (NodeJS.ReadableStream & { readableEnded?: boolean; destroyed?: boolean })
        | null
        | undefined;
      if (pipe && pipe.readableEnded !== true && pipe.destroyed !== true) pipe.once('close', done);
      else done();
    });
  });
}
