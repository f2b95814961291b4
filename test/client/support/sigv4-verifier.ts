/**
 * Server-side SigV4 check, as API Gateway does for IAM auth: recompute the signature with AWS's own signer
 * (@smithy/signature-v4, independent of the aws4fetch code that signed it) over the headers the client says it signed,
 * with the secret the server knows for that access key.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { RecordedRequest } from './http-server';

type SourceData = string | ArrayBuffer | ArrayBufferView;

const toBuffer = (data: SourceData): Buffer =>
  typeof data === 'string'
    ? Buffer.from(data, 'utf8')
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

/** The SHA-256 the smithy signer needs, on node:crypto (what @aws-crypto/sha256-js would provide). */
class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  update(data: SourceData): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
}

export interface IssuedCredentials {
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface VerifierOptions {
  readonly region: string;
  /** @default 'execute-api' */
  readonly service?: string;
  /** Access key id → what the "IAM" side knows about it. */
  readonly credentials: ReadonlyMap<string, IssuedCredentials>;
  /** API Gateway accepts a 15-minute skew; tests use 5. */
  readonly maxSkewMs?: number;
}

export type Verdict =
  | { readonly ok: true; readonly accessKeyId: string }
  | { readonly ok: false; readonly reason: string };

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

export function createSigV4Verifier(options: VerifierOptions): (request: RecordedRequest) => Promise<Verdict> {
  const service = options.service ?? 'execute-api';
  return async (request) => {
    const authorization = request.headers.authorization;
    if (!authorization) return { ok: false, reason: 'no Authorization header' };
    const m = AUTH.exec(authorization);
    if (!m) return { ok: false, reason: `malformed Authorization header: ${authorization}` };
    const [, accessKeyId, day, region, scopeService, signedHeaderList] = m as unknown as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (region !== options.region) return { ok: false, reason: `signed for region ${region}` };
    if (scopeService !== service) return { ok: false, reason: `signed for service ${scopeService}` };
    const issued = options.credentials.get(accessKeyId);
    if (!issued) return { ok: false, reason: `unknown access key ${accessKeyId}` };

    const amzDate = request.headers['x-amz-date'];
    if (typeof amzDate !== 'string' || !/^\d{8}T\d{6}Z$/.test(amzDate) || !amzDate.startsWith(day)) {
      return { ok: false, reason: `bad X-Amz-Date ${String(amzDate)}` };
    }
    const signingDate = new Date(
      `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
    );
    if (Math.abs(signingDate.getTime() - Date.now()) > (options.maxSkewMs ?? 5 * 60_000)) {
      return { ok: false, reason: 'signature too old or in the future' };
    }
    const signedHeaders = signedHeaderList.split(';');
    for (const required of ['host', 'x-amz-date']) {
      if (!signedHeaders.includes(required)) return { ok: false, reason: `${required} is not signed` };
    }
    if (issued.sessionToken !== undefined && request.headers['x-amz-security-token'] !== issued.sessionToken) {
      return { ok: false, reason: 'missing or wrong session token' };
    }

    const headers: Record<string, string> = {};
    for (const name of signedHeaders) {
      const value = request.headers[name];
      if (value === undefined) return { ok: false, reason: `signed header ${name} is missing` };
      headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    const url = new URL(request.url, `http://${request.headers.host}`);
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const signer = new SignatureV4({
      service,
      region,
      credentials: { accessKeyId, secretAccessKey: issued.secretAccessKey, sessionToken: issued.sessionToken },
      sha256: NodeSha256,
      // execute-api does not require x-amz-content-sha256; don't add a header the client never signed.
      applyChecksum: false,
    });
    const expected = await signer.sign(
      {
        method: request.method,
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        query,
        headers,
        body: request.body,
      },
      { signingDate },
    );
    const expectedAuthorization = expected.headers['authorization'];
    return expectedAuthorization === authorization
      ? { ok: true, accessKeyId }
      : { ok: false, reason: `signature mismatch: expected ${expectedAuthorization}` };
  };
}
