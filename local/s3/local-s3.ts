/**
 * A local S3 for offline runs and tests: s3rver (Koa + files on disk), started on a loopback port.
 *
 * Clients that talk to it must use the settings of `localS3ClientConfig()`: path-style addressing, s3rver's own access
 * key, and flexible checksums only WHEN_REQUIRED. The SDK's default (WHEN_SUPPORTED since 3.729) sends streaming uploads
 * as `aws-chunked` with a trailing CRC32, which s3rver does not decode: the object would be stored with the chunk framing
 * in it. Buffer and string bodies happen to work either way; presigned GET URLs work with any setting.
 */
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { assertLoopbackHost, closeHttpServer } from '../net';

/** s3rver knows one account; its key pair is fixed. SigV4 signatures are parsed but not verified by s3rver. */
export const LOCAL_S3_CREDENTIALS = Object.freeze({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });

/** Region the local S3 claims; any region works because s3rver ignores it, but signers need one. */
export const LOCAL_S3_REGION = 'us-east-1';

export interface LocalS3Options {
  /** TCP port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Loopback address to bind; anything else is refused. @default '127.0.0.1' */
  readonly host?: string;
  /** Folder for buckets and objects. @default a new temporary folder, removed by close() */
  readonly directory?: string;
  /** Buckets created at start. @default [] */
  readonly buckets?: readonly string[];
}

export interface LocalS3 {
  /** Endpoint for S3 clients, e.g. `http://127.0.0.1:4568`. */
  readonly url: string;
  readonly port: number;
  readonly directory: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly region: string;
  /** Client settings that work against this server (see the file comment). */
  clientConfig(overrides?: Partial<S3ClientConfig>): S3ClientConfig;
  /** Stops the server (ports released) and removes the temporary folder if it created one. Idempotent. */
  close(): Promise<void>;
}

/** S3 client settings for s3rver at `endpoint` (see the file comment for why each one is needed). */
export function localS3ClientConfig(endpoint: string, overrides: Partial<S3ClientConfig> = {}): S3ClientConfig {
  return {
    endpoint,
    region: LOCAL_S3_REGION,
    forcePathStyle: true,
    credentials: { ...LOCAL_S3_CREDENTIALS },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 2,
    ...overrides,
  };
}

export async function startLocalS3(options: LocalS3Options = {}): Promise<LocalS3> {
  const host = options.host ?? '127.0.0.1';
  assertLoopbackHost(host);
  const ownsDirectory = options.directory === undefined;
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'local-s3-')));

  const server = new S3rver({
    address: host,
    port: options.port ?? 0,
    silent: true,
    directory,
    vhostBuckets: false,
    resetOnClose: false,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name, configs: [] })),
  });
  let closed: Promise<void> | undefined;
  const removeDirectory = async (): Promise<void> => {
    if (ownsDirectory) await rm(directory, { recursive: true, force: true });
  };

  let port: number;
  try {
    ({ port } = await server.run());
  } catch (err) {
    await removeDirectory();
    throw err;
  }
  // s3rver keeps its http.Server here; typings do not declare it.
  const httpServer = (server as unknown as { httpServer: Server }).httpServer;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url,
    port,
    directory,
    credentials: LOCAL_S3_CREDENTIALS,
    region: LOCAL_S3_REGION,
    clientConfig: (overrides) => localS3ClientConfig(url, overrides),
    close: () => {
      closed ??= closeHttpServer(httpServer).then(removeDirectory);
      return closed;
    },
  };
}
