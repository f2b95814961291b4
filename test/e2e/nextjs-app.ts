/**
 * The Next.js example (examples/nextjs) as the browser e2e runs it: its production build (`next start`) on a free
 * 127.0.0.1 port, configured through its LIVENESS_* environment for the local stack.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const NEXT_APP_DIR = join(__dirname, '..', '..', 'examples', 'nextjs');
/** Written by `next build`; local/web/build.ts --nextjs makes it. */
export const NEXT_BUILD_ID = join(NEXT_APP_DIR, '.next', 'BUILD_ID');
/** The stand-in face model, copied into the build's public/ by its assets script. */
export const NEXT_FACE_MODEL = join(NEXT_APP_DIR, 'public', 'face-model', 'model.json');

export interface NextApp {
  readonly url: string;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export async function startNextApp(options: {
  readonly port: number;
  readonly env: Record<string, string>;
  readonly log?: (line: string) => void;
}): Promise<NextApp> {
  if (!existsSync(NEXT_BUILD_ID))
    throw new Error('examples/nextjs is not built: run `npx tsx local/web/build.ts --nextjs`');
  const url = `http://127.0.0.1:${options.port}`;
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(NEXT_APP_DIR, 'node_modules', 'next', 'dist', 'bin', 'next'),
      'start',
      '-p',
      String(options.port),
      '-H',
      '127.0.0.1',
    ],
    {
      cwd: NEXT_APP_DIR,
      env: { ...process.env, ...options.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    options.log?.(chunk.toString().trimEnd());
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${output}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await close();
      throw new Error(`next start did not answer on ${url} within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, close };
}
