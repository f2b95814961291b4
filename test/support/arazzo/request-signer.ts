/** Signs the executor's raw requests with AWS SigV4 (@smithy/signature-v4, SHA-256 from node:crypto). */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { RequestSigner } from './executor';

type SourceData = string | ArrayBuffer | ArrayBufferView;

class NodeSha256 {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }

  update(data: Uint8Array): void {
    this.hash.update(data);
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = this.fresh();
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

export interface ArazzoRequestSignerOptions {
  readonly region: string;
  /** @default 'rekognition' */
  readonly service?: string;
  readonly credentials: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
}

export function createArazzoRequestSigner(options: ArazzoRequestSignerOptions): RequestSigner {
  const signer = new SignatureV4({
    service: options.service ?? 'rekognition',
    region: options.region,
    credentials: { ...options.credentials },
    sha256: NodeSha256,
  });
  return async ({ method, url, headers, body }) => {
    const target = new URL(url);
    const query: Record<string, string> = {};
    target.searchParams.forEach((value, key) => {
      query[key] = value;
    });
    const signed = await signer.sign({
      method,
      protocol: target.protocol,
      hostname: target.hostname,
      ...(target.port !== '' && { port: Number(target.port) }),
      path: target.pathname,
      query,
      headers: { ...headers, host: target.host },
      ...(body !== undefined && { body }),
    });
    // fetch derives Host from the URL (the same value that was signed).
    return Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name.toLowerCase() !== 'host'));
  };
}
