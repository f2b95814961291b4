/**
 * The signed verdict: a compact JWS, ES256, signed by an asymmetric KMS key
 * (ECC_NIST_P256, SIGN_VERIFY). Written by hand (base64url and a DER → raw signature conversion) to keep a JOSE library
 * out of the handler's bundle and cold start; verifiers use a real one (client/attestation.ts, on `jose`).
 *
 * KMS hashes (SHA-256) and signs the JWS signing input (MessageType RAW: it is well under KMS's 4 KB) and returns the
 * signature DER-encoded (ECDSA-Sig-Value, SEQUENCE of two INTEGERs); JWS wants the raw 64 bytes r‖s (RFC 7518 §3.4).
 */
import { createHash } from 'node:crypto';
import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { ATTESTATION_TYPE, type AttestationClaims } from '../../contract/attestation';
import type { HandlerConfig } from './config';
import { sdkClientOptions } from './sdk-options';

export interface AttestationSigner {
  readonly keyId: string;
  readonly issuer: string;
  readonly audience?: string;
  readonly kms: Pick<KMSClient, 'send'>;
}

/**
 * Every claim but the deployment's own (`iss`, `aud`). They are all fixed when the verdict is decided (`iat`, `exp`
 * and `jti` are stored with it), so each signing of one verdict is the same attestation: same claims, same `jti`,
 * same `exp`; only the ECDSA signature's random bytes differ.
 */
export type AttestationInput = Omit<AttestationClaims, 'iss' | 'aud'>;

/** Signs a verdict's attestation; `ttlSeconds` is the lifetime the verdict's `exp` is decided with. */
export interface Attester {
  readonly ttlSeconds: number;
  sign(input: AttestationInput): Promise<string>;
}

/**
 * The get-result function's signer, created once per cold start (only that function imports this module, so the KMS
 * client is not in the create-session bundle). Undefined when no attestation key is configured.
 */
export function createAttester(config: HandlerConfig | undefined): Attester | undefined {
  const attestation = config?.attestation;
  if (config === undefined || attestation === undefined) return undefined;
  const kms = new KMSClient(sdkClientOptions(config, config.kmsEndpoint));
  const signer: AttestationSigner = {
    keyId: attestation.keyId,
    issuer: attestation.issuer,
    ...(attestation.audience !== undefined && { audience: attestation.audience }),
    kms,
  };
  return { ttlSeconds: attestation.ttlSeconds, sign: (input) => signAttestation(input, signer) };
}

/** The key id (`kid`) of a KMS key in JWS headers and the JWK Set: derived from its id, so signer and JWKS agree without a call. */
export function keyIdOf(kmsKeyId: string): string {
  return createHash('sha256').update(kmsKeyId).digest('base64url').slice(0, 22);
}

export async function signAttestation(input: AttestationInput, signer: AttestationSigner): Promise<string> {
  const claims: AttestationClaims = {
    iss: signer.issuer,
    ...(signer.audience !== undefined && { aud: signer.audience }),
    ...input,
  };
  const header = { alg: 'ES256', typ: ATTESTATION_TYPE, kid: keyIdOf(signer.keyId) };
  const signingInput = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(claims))}`;
  const { Signature } = await signer.kms.send(
    new SignCommand({
      KeyId: signer.keyId,
      Message: Buffer.from(signingInput, 'ascii'),
      MessageType: 'RAW',
      SigningAlgorithm: 'ECDSA_SHA_256',
    }),
  );
  if (Signature === undefined) throw new Error('KMS Sign returned no signature');
  return `${signingInput}.${derToJose(Signature).toString('base64url')}`;
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/** DER ECDSA-Sig-Value → 64-byte r‖s for P-256. Throws on anything else. */
export function derToJose(der: Uint8Array): Buffer {
  const bytes = Buffer.from(der);
  let offset = 0;
  const expect = (cond: boolean) => {
    if (!cond) throw new Error('Not a DER ECDSA P-256 signature');
  };
  expect(bytes[offset++] === 0x30);
  let seqLength = bytes[offset++]!;
  if (seqLength === 0x81) seqLength = bytes[offset++]!;
  expect(seqLength === bytes.length - offset);
  const integer = (): Buffer => {
    expect(bytes[offset++] === 0x02);
    const length = bytes[offset++]!;
    expect(length >= 1 && length <= 33 && offset + length <= bytes.length);
    let value = bytes.subarray(offset, offset + length);
    offset += length;
    while (value.length > 32 && value[0] === 0) value = value.subarray(1);
    expect(value.length <= 32);
    return Buffer.concat([Buffer.alloc(32 - value.length), value]);
  };
  const r = integer();
  const s = integer();
  expect(offset === bytes.length);
  return Buffer.concat([r, s]);
}
