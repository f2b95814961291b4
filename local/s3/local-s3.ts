/**
 * A local S3 for offline runs and tests: the S3 REST calls local mode makes (bucket create/head/delete, object
 * put/get/head/delete, presigned GETs), path-style, on a loopback port, with the objects held in memory.
 *
 * It replaced s3rver, whose dependency chain carried unfixed advisories (busboy 0.3 → dicer, fast-xml-parser 3) and
 * whose files on disk were the largest cost of a local flow. Requests must carry a SigV4 signature made with
 * `LOCAL_S3_CREDENTIALS` (Authorization header or presigned query); the signature itself is not verified, but a
 * presigned URL past its X-Amz-Expires is refused as S3 refuses it. Uploads in `aws-chunked` framing (the SDK's
 * default flexible checksums since 3.729) are decoded, so any client setting stores the bytes that were sent.
 */
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { closeHttpServer, createLocalServer, listen } from '../net';

/** The one account's key pair: the handlers presign with it. */
export const LOCAL_S3_CREDENTIALS = Object.freeze({ accessKeyId: 'LOCALS3', secretAccessKey: 'LOCALS3' });

/** Region the local S3 claims; signers need one. */
export const LOCAL_S3_REGION = 'us-east-1';

export interface LocalS3Options {
  /** TCP port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Loopback address to bind; anything else is refused. @default '127.0.0.1' */
  readonly host?: string;
  /** Buckets created at start. @default [] */
  readonly buckets?: readonly string[];
  /** Bytes kept in all; past it the oldest objects are dropped, as a lifecycle rule would. @default 256 MiB */
  readonly maxBytes?: number;
}

export interface LocalS3 {
  /** Endpoint for S3 clients, e.g. `http://127.0.0.1:4568`. */
  readonly url: string;
  readonly port: number;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly region: string;
  /** Client settings that work against this server. */
  clientConfig(overrides?: Partial<S3ClientConfig>): S3ClientConfig;
  /**
   * Writes objects straight into this store, for an emulator in the same process (the local stack): the same objects
   * a PutObject would store, without an HTTP round trip and an SDK call per image.
   */
  readonly direct: {
    hasBucket(bucket: string): boolean;
    put(bucket: string, key: string, body: Uint8Array, headers: Readonly<Record<string, string>>): void;
    /** An object's bytes; undefined when the bucket or key does not exist. */
    get(bucket: string, key: string): Uint8Array | undefined;
  };
  /** Stops the server (port released) and drops every object. Idempotent. */
  close(): Promise<void>;
}

/** S3 client settings for the local S3 at `endpoint`: path-style addressing and its key pair. */
export function localS3ClientConfig(endpoint: string, overrides: Partial<S3ClientConfig> = {}): S3ClientConfig {
  return {
    endpoint,
    region: LOCAL_S3_REGION,
    forcePathStyle: true,
    credentials: { ...LOCAL_S3_CREDENTIALS },
    // Plain bodies: fewer bytes to frame and hash per upload (aws-chunked is decoded too, see above).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 2,
    ...overrides,
  };
}

interface StoredObject {
  readonly body: Buffer;
  readonly etag: string;
  readonly lastModified: Date;
  readonly headers: Readonly<Record<string, string>>;
}

/** S3's own single-PUT limit is 5 GB; nothing local mode stores comes near this. */
const MAX_OBJECT_BYTES = 32 * 1024 * 1024;
/** Response headers a PUT's request headers set on the object. */
const KEPT_HEADERS = [
  'content-type',
  'content-disposition',
  'content-language',
  'cache-control',
  'x-amz-server-side-encryption',
  'x-amz-server-side-encryption-aws-kms-key-id',
];
const BUCKET_NAME = /^[a-z0-9][a-z0-9.\-_]{1,254}$/i;

class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}

export async function startLocalS3(options: LocalS3Options = {}): Promise<LocalS3> {
  const host = options.host ?? '127.0.0.1';
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  const buckets = new Map<string, Map<string, StoredObject>>();
  for (const name of options.buckets ?? []) buckets.set(name, new Map());
  // Insertion order is age order: the oldest objects go first when the store is full.
  const ages = new Map<string, { bucket: string; key: string; bytes: number }>();
  let storedBytes = 0;

  const bucketOf = (name: string): Map<string, StoredObject> => {
    const bucket = buckets.get(name);
    if (!bucket) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: name });
    return bucket;
  };
  const forget = (bucket: string, key: string): void => {
    const id = `${bucket}/${key}`;
    const age = ages.get(id);
    if (age) {
      storedBytes -= age.bytes;
      ages.delete(id);
    }
    buckets.get(bucket)?.delete(key);
  };

  const store = (bucketName: string, key: string, body: Buffer, headers: Record<string, string>): string => {
    const bucket = bucketOf(bucketName);
    headers['content-type'] ??= 'binary/octet-stream';
    const etag = `"${createHash('md5').update(body).digest('hex')}"`;
    forget(bucketName, key);
    bucket.set(key, { body, etag, lastModified: new Date(), headers });
    ages.set(`${bucketName}/${key}`, { bucket: bucketName, key, bytes: body.length });
    storedBytes += body.length;
    for (const [, oldest] of ages) {
      if (storedBytes <= maxBytes) break;
      forget(oldest.bucket, oldest.key);
    }
    return etag;
  };

  const server = createLocalServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (err instanceof S3Error) return sendError(res, req.method === 'HEAD', err);
      sendError(
        res,
        req.method === 'HEAD',
        new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.'),
      );
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    if (!target.startsWith('/')) throw new S3Error(400, 'InvalidURI', 'Couldn’t parse the specified URI.');
    let url: URL;
    let bucketName: string;
    let key: string;
    try {
      url = new URL(target, 'http://local-s3.invalid');
      const path = url.pathname.slice(1);
      const slash = path.indexOf('/');
      bucketName = decodeURIComponent(slash === -1 ? path : path.slice(0, slash));
      key = slash === -1 ? '' : decodeURIComponent(path.slice(slash + 1));
    } catch {
      throw new S3Error(400, 'InvalidURI', 'Couldn’t parse the specified URI.');
    }
    checkSignature(req, url);
    const method = req.method ?? 'GET';
    if (bucketName === '') throw new S3Error(501, 'NotImplemented', 'ListBuckets is not implemented by the local S3');

    if (key === '') {
      if (method === 'HEAD') {
        bucketOf(bucketName);
        return void res.writeHead(200, { 'x-amz-bucket-region': LOCAL_S3_REGION }).end();
      }
      if (method === 'PUT') {
        if (!BUCKET_NAME.test(bucketName))
          throw new S3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.', { BucketName: bucketName });
        if (buckets.has(bucketName))
          throw new S3Error(
            409,
            'BucketAlreadyOwnedByYou',
            'Your previous request to create the named bucket succeeded and you already own it.',
            { BucketName: bucketName },
          );
        await drain(req);
        buckets.set(bucketName, new Map());
        return void res.writeHead(200, { Location: `/${bucketName}` }).end();
      }
      if (method === 'DELETE') {
        const bucket = bucketOf(bucketName);
        if (bucket.size > 0)
          throw new S3Error(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty', {
            BucketName: bucketName,
          });
        buckets.delete(bucketName);
        return void res.writeHead(204).end();
      }
      throw new S3Error(501, 'NotImplemented', `${method} on a bucket is not implemented by the local S3`);
    }

    const bucket = bucketOf(bucketName);
    switch (method) {
      case 'PUT': {
        if (req.headers['x-amz-copy-source'] !== undefined)
          throw new S3Error(501, 'NotImplemented', 'CopyObject is not implemented by the local S3');
        const body = decodeBody(req, await readBody(req));
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) {
          if (typeof value === 'string' && (KEPT_HEADERS.includes(name) || name.startsWith('x-amz-meta-')))
            headers[name] = value;
        }
        const etag = store(bucketName, key, body, headers);
        const sse = headers['x-amz-server-side-encryption'];
        return void res
          .writeHead(200, { ETag: etag, ...(sse !== undefined && { 'x-amz-server-side-encryption': sse }) })
          .end();
      }
      case 'GET':
      case 'HEAD': {
        const object = bucket.get(key);
        if (!object) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
        res.writeHead(200, {
          ...object.headers,
          'Content-Length': object.body.length,
          ETag: object.etag,
          'Last-Modified': object.lastModified.toUTCString(),
          'Accept-Ranges': 'none',
        });
        return void res.end(method === 'GET' ? object.body : undefined);
      }
      case 'DELETE':
        forget(bucketName, key);
        return void res.writeHead(204).end();
      default:
        throw new S3Error(501, 'NotImplemented', `${method} on an object is not implemented by the local S3`);
    }
  }

  const port = await listen(server, options.port ?? 0, host);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    credentials: LOCAL_S3_CREDENTIALS,
    region: LOCAL_S3_REGION,
    clientConfig: (overrides) => localS3ClientConfig(url, overrides),
    direct: {
      hasBucket: (bucket) => buckets.has(bucket),
      put: (bucket, key, body, headers) => void store(bucket, key, Buffer.from(body), { ...headers }),
      get: (bucket, key) => buckets.get(bucket)?.get(key)?.body,
    },
    close: () => {
      closed ??= closeHttpServer(server).then(() => {
        buckets.clear();
        ages.clear();
      });
      return closed;
    },
  };
}

/** Every request is signed (header or presigned query); a presigned URL works until X-Amz-Date + X-Amz-Expires. */
function checkSignature(req: IncomingMessage, url: URL): void {
  const q = url.searchParams;
  if (q.has('X-Amz-Signature')) {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(q.get('X-Amz-Date') ?? '');
    const expires = Number(q.get('X-Amz-Expires'));
    if (!m || !Number.isInteger(expires) || expires < 1 || expires > 604_800) {
      throw new S3Error(
        400,
        'AuthorizationQueryParametersError',
        'X-Amz-Date and X-Amz-Expires must describe the URL’s validity.',
      );
    }
    const signedAt = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
    if (Date.now() > signedAt + expires * 1000) throw new S3Error(403, 'AccessDenied', 'Request has expired');
    return;
  }
  if (!/^AWS4-HMAC-SHA256 Credential=/.test(String(req.headers.authorization ?? ''))) {
    throw new S3Error(403, 'AccessDenied', 'Anonymous access is not allowed: sign the request.');
  }
}

/** `aws-chunked` framing (`<hex size>[;chunk-signature=…]\r\n<bytes>\r\n … 0\r\n<trailers>\r\n\r\n`) → the bytes. */
function decodeBody(req: IncomingMessage, raw: Buffer): Buffer {
  const encoding = String(req.headers['content-encoding'] ?? '');
  if (
    !encoding
      .split(',')
      .map((e) => e.trim())
      .includes('aws-chunked')
  )
    return raw;
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd === -1) throw new S3Error(400, 'IncompleteBody', 'The aws-chunked body ends inside a chunk header.');
    const size = parseInt(raw.subarray(at, lineEnd).toString('latin1').split(';')[0]!, 16);
    if (!Number.isInteger(size) || size < 0)
      throw new S3Error(400, 'InvalidRequest', 'Malformed aws-chunked chunk size.');
    if (size === 0) break;
    const start = lineEnd + 2;
    if (start + size > raw.length)
      throw new S3Error(400, 'IncompleteBody', 'The aws-chunked body is shorter than its chunk sizes.');
    parts.push(raw.subarray(start, start + size));
    at = start + size + 2;
  }
  const body = Buffer.concat(parts);
  const declared = req.headers['x-amz-decoded-content-length'];
  if (declared !== undefined && Number(declared) !== body.length) {
    throw new S3Error(400, 'IncompleteBody', 'The decoded body length does not match x-amz-decoded-content-length.');
  }
  return body;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_OBJECT_BYTES + 64 * 1024)
      throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the local S3’s maximum object size.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function drain(req: IncomingMessage): Promise<void> {
  for await (const _ of req) void _;
}

function sendError(res: ServerResponse, head: boolean, error: S3Error): void {
  const requestId = randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
  const extra = Object.entries(error.extra)
    .map(([k, v]) => `<${k}>${xml(v)}</${k}>`)
    .join('');
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code><Message>${xml(error.message)}</Message>${extra}<RequestId>${requestId}</RequestId></Error>`;
  res.writeHead(error.status, {
    'Content-Type': 'application/xml',
    'x-amz-request-id': requestId,
    ...(!head && { 'Content-Length': Buffer.byteLength(body) }),
  });
  res.end(head ? undefined : body);
}

function xml(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );
}
