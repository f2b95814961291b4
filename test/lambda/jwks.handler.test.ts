/** The JWK Set handler runs on its own minimal environment and answers without the other functions' configuration. */
import { generateKeyPairSync } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { HANDLER_ENV, jwksEnvironment } from '../../contract/handler-environment';
import { HANDLER_SETTING_DEFAULTS } from '../../contract/setting-rules';
import { keyIdOf } from '../../lambda/shared/attestation';
import { setHandlerEnv, type Handler, type HttpResponse } from '../support/load-handler';

const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555';
const SPKI = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' });

/** Exactly what the construct gives the function, plus what Lambda itself sets; every other variable is cleared. */
function jwksOnlyEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const name of Object.values(HANDLER_ENV)) env[name] = undefined;
  return { ...env, ...jwksEnvironment(KEY_ARN, HANDLER_SETTING_DEFAULTS) };
}

function load(env: Record<string, string | undefined>): { handler: Handler; getPublicKey: jest.Mock } {
  setHandlerEnv(env);
  let loaded: { handler: Handler; getPublicKey: jest.Mock } | undefined;
  jest.isolateModules(() => {
    const sdk = require('@aws-sdk/client-kms') as typeof import('@aws-sdk/client-kms');
    const getPublicKey = jest.fn(async () => ({
      PublicKey: new Uint8Array(SPKI),
      KeySpec: 'ECC_NIST_P256' as const,
      KeyUsage: 'SIGN_VERIFY' as const,
    }));
    mockClient(sdk.KMSClient).on(sdk.GetPublicKeyCommand).callsFake(getPublicKey);
    const { handler } = require('../../lambda/jwks/index') as { handler: Handler };
    loaded = { handler, getPublicKey };
  });
  return loaded!;
}

const event = (headers: Record<string, string> = {}) =>
  ({ httpMethod: 'GET', path: '/.well-known/jwks.json', headers, requestContext: { requestId: 'req-1' } }) as never;
const context = { awsRequestId: 'lambda-1', functionName: 'jwks' } as Context;

describe('JWK Set handler', () => {
  test('serves the key with nothing but its own environment (no table, owner-ref key, origins or auth mode)', async () => {
    const { handler, getPublicKey } = load(jwksOnlyEnv());
    const res: HttpResponse = await handler(event(), context);
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body) as { keys: Array<Record<string, string>> };
    expect(body.keys).toEqual([expect.objectContaining({ kty: 'EC', crv: 'P-256', kid: keyIdOf(KEY_ARN) })]);
    expect(res.headers['Cache-Control']).toMatch(/^public, max-age=\d+$/);
    await handler(event(), context);
    expect(getPublicKey).toHaveBeenCalledTimes(1);
  });

  test('answers no CORS headers, whatever the Origin', async () => {
    const { handler } = load(jwksOnlyEnv());
    const res = await handler(event({ Origin: 'http://localhost:5173' }), context);
    expect(res.statusCode).toBe(200);
    expect(res.headers['Access-Control-Allow-Origin']).toBeUndefined();
  });

  test('without its key it answers 500 BACKEND_MISCONFIGURED naming no secret', async () => {
    const { handler, getPublicKey } = load({ ...jwksOnlyEnv(), [HANDLER_ENV.ATTESTATION_KEY_ID]: undefined });
    const res = await handler(event(), context);
    expect(res.statusCode).toBe(500);
    expect(JSON.parse(res.body).error.code).toBe('BACKEND_MISCONFIGURED');
    expect(res.body).not.toContain(HANDLER_ENV.ATTESTATION_KEY_ID);
    expect(getPublicKey).not.toHaveBeenCalled();
  });
});
