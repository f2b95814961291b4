/**
 * A tiny AWS JSON-protocol stand-in on 127.0.0.1 for the cold-start runs: it answers every operation from
 * bench/aws-answers.ts by the X-Amz-Target header, so the handlers' real SDK clients make a real HTTP round trip and
 * nothing leaves the machine.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AWS_ANSWERS } from './aws-answers';

export interface AwsStub {
  readonly url: string;
  /** Requests answered, by operation (unknown ones under `?`). */
  readonly counts: Map<string, number>;
  close(): Promise<void>;
}

export async function startAwsStub(): Promise<AwsStub> {
  const counts = new Map<string, number>();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.slice(target.lastIndexOf('.') + 1);
      const answer = AWS_ANSWERS[operation];
      counts.set(answer ? operation : '?', (counts.get(answer ? operation : '?') ?? 0) + 1);
      const body = JSON.stringify(
        answer ?? { __type: 'UnknownOperationException', message: `bench stub has no answer for ${target}` },
      );
      res.writeHead(answer ? 200 : 400, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': 'bench-request',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
