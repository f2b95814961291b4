/**
 * GET /.well-known/jwks.json: the attestation key's public half as a JWK Set (RFC 7517), for any service that verifies
 * attestations. KMS's GetPublicKey returns the key as DER SPKI; node:crypto turns that into a JWK.
 */
import { createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { keyIdOf } from '../shared/attestation';

export interface Jwk {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
  readonly kid: string;
  readonly alg: 'ES256';
  readonly use: 'sig';
}

export interface JwkSet {
  readonly keys: readonly Jwk[];
}

/** The JWK of an SPKI DER P-256 public key, with the `kid` the signer puts in its headers. */
export function jwkFromSpki(der: Uint8Array, kmsKeyId: string): Jwk {
  const jwk = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' }).export({ format: 'jwk' });
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string') {
    throw new Error('The attestation key is not an ECC_NIST_P256 key');
  }
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid: keyIdOf(kmsKeyId), alg: 'ES256', use: 'sig' };
}

export async function jwkSet(kms: Pick<KMSClient, 'send'>, kmsKeyId: string): Promise<JwkSet> {
  const { PublicKey, KeySpec, KeyUsage } = await kms.send(new GetPublicKeyCommand({ KeyId: kmsKeyId }));
  if (PublicKey === undefined || KeySpec !== 'ECC_NIST_P256' || KeyUsage !== 'SIGN_VERIFY') {
    throw new Error('The attestation key is not an ECC_NIST_P256 SIGN_VERIFY key');
  }
  return { keys: [jwkFromSpki(PublicKey, kmsKeyId)] };
}
