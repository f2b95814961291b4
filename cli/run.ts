/** Runs the CLI in this process: real streams, environment and fetch; Ctrl-C aborts the command in flight. */
import { main } from './main';

const controller = new AbortController();
process.once('SIGINT', () => {
  controller.abort();
  // A second Ctrl-C means "now".
  process.once('SIGINT', () => process.exit(130));
});

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `face-liveness: unexpected failure: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
