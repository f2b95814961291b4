/**
 * A local stand-in for AWS KMS, for the verdict attestation only: `Sign` and `GetPublicKey` of one ECC_NIST_P256
 * SIGN_VERIFY key, spoken over KMS's own JSON protocol (`X-Amz-Target: TrentService.<Operation>`), so the handlers'
 * real `KMSClient` talks to it the way they talk to the Rekognition emulator. Signatures are real ECDSA P-256 over
 * SHA-256 (DER, like KMS), so anything that verifies against the public key here verifies a real one the same way.
 *
 * The key is generated in memory when the server starts (or passed in): nothing is written to disk. Signatures are
 * not checked on requests (local mode only; binds 127.0.0.1).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { closeHttpServer, createLocalServer, listen, readBodyUpTo } from '../../net';

export interface LocalKms {
  readonly url: string;
  /** The ARN of the one key; the handlers get it as ATTESTATION_KEY_ID. */
  readonly keyArn: string;
  /** The public key (SPKI DER), as GetPublicKey returns it. */
  readonly publicKeyDer: Buffer;
  close(): Promise<void>;
}

export interface LocalKmsOptions {
  /** @default 0 (a free port) */
  readonly port?: number;
  readonly region?: string;
  /** A PKCS#8 PEM P-256 private key; default: a fresh one. */
  readonly privateKeyPem?: string;
}

const MAX_REQUEST_BYTES = 64 * 1024;

export async function startLocalKms(options: LocalKmsOptions = {}): Promise<LocalKms> {
  const privateKey: KeyObject =
    options.privateKeyPem !== undefined
      ? createPrivateKey(options.privateKeyPem)
      : generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  if (privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    throw new Error('The local KMS key must be an EC P-256 key');
  const publicKeyDer = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const keyId = uuidFrom(publicKeyDer);
  const keyArn = `arn:aws:kms:${options.region ?? 'us-east-1'}:000000000000:key/${keyId}`;
  const known = new Set([keyId, keyArn]);

  const server = createLocalServer((req, res) => {
    void handle(req, res).catch(() => answer(res, 500, { __type: 'KMSInternalException', message: 'Internal error' }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = String(req.headers['x-amz-target'] ?? '');
    // KMS signs messages of at most 4 KB; its requests are small JSON documents.
    const body = await readBodyUpTo(req, MAX_REQUEST_BYTES);
    if (body === undefined)
      return answer(res, 400, {
        __type: 'ValidationException',
        message: `Requests are limited to ${MAX_REQUEST_BYTES} bytes`,
      });
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return answer(res, 400, { __type: 'SerializationException', message: 'Malformed JSON' });
    }
    if (typeof input.KeyId !== 'string' || !known.has(input.KeyId)) {
      return answer(res, 400, { __type: 'NotFoundException', message: `Key '${String(input.KeyId)}' does not exist` });
    }
    switch (target) {
      case 'TrentService.GetPublicKey':
        return answer(res, 200, {
          KeyId: keyArn,
          PublicKey: publicKeyDer.toString('base64'),
          KeySpec: 'ECC_NIST_P256',
          KeyUsage: 'SIGN_VERIFY',
          SigningAlgorithms: ['ECDSA_SHA_256'],
        });
      case 'TrentService.Sign': {
        if (input.SigningAlgorithm !== 'ECDSA_SHA_256') {
          return answer(res, 400, {
            __type: 'InvalidKeyUsageException',
            message: 'The key supports ECDSA_SHA_256 only',
          });
        }
        if (typeof input.Message !== 'string')
          return answer(res, 400, { __type: 'ValidationException', message: 'Message is required' });
        const message = Buffer.from(input.Message, 'base64');
        const type = input.MessageType ?? 'RAW';
        if (type === 'RAW' && message.length > 4096)
          return answer(res, 400, { __type: 'ValidationException', message: 'Message is longer than 4096 bytes' });
        if (type !== 'RAW')
          return answer(res, 400, { __type: 'ValidationException', message: 'The local KMS signs RAW messages only' });
        const signature = sign('sha256', message, { key: privateKey, dsaEncoding: 'der' });
        return answer(res, 200, {
          KeyId: keyArn,
          Signature: signature.toString('base64'),
          SigningAlgorithm: 'ECDSA_SHA_256',
        });
      }
      default:
        return answer(res, 400, {
          __type: 'UnknownOperationException',
          message: `The local KMS does not implement ${target || 'this operation'}`,
        });
    }
  }

  const port = await listen(server, options.port ?? 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}`, keyArn, publicKeyDer, close: () => closeHttpServer(server) };
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'x-amzn-RequestId': createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 32),
  });
  res.end(JSON.stringify(body));
}

/** A stable key id from the public key, formatted like a KMS key id (a UUID). */
function uuidFrom(bytes: Buffer): string {
  const h = createHash('sha256').update(bytes).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
