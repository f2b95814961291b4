/**
 * GET /.well-known/jwks.json. Wiring only: the work is in ./core. Unauthenticated (verifiers are other services) and
 * cacheable; the public key is fetched from KMS once per cold start, and again only after a failure.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { KMSClient } from '@aws-sdk/client-kms';
import { JWKS_MAX_AGE_SECONDS } from '../../contract/attestation';
import { CONFIG_STATE } from '../shared/config';
import { ApiError } from '../shared/errors';
import { jsonResponse, type HttpResponse } from '../shared/http';
import { httpMiddleware } from '../shared/middleware';
import { sdkClientOptions } from '../shared/sdk-options';
import { jwkSet, type JwkSet } from './core';

const config = CONFIG_STATE.ok ? CONFIG_STATE.config : undefined;
const kms = config?.attestation !== undefined ? new KMSClient(sdkClientOptions(config, config.kmsEndpoint)) : undefined;
let keys: Promise<JwkSet> | undefined;

export const handler = middy<APIGatewayProxyEvent, HttpResponse>()
  .use(httpMiddleware())
  .handler(async () => {
    const keyId = config?.attestation?.keyId;
    if (kms === undefined || keyId === undefined) {
      throw new ApiError('BACKEND_MISCONFIGURED', undefined, {
        detail: `${CONFIG_STATE.ok ? 'No attestation key configured' : CONFIG_STATE.problems.join('; ')}`,
      });
    }
    keys ??= jwkSet(kms, keyId).catch((error: unknown) => {
      keys = undefined;
      throw error;
    });
    return jsonResponse(200, await keys, { 'Cache-Control': `public, max-age=${JWKS_MAX_AGE_SECONDS}` });
  });
