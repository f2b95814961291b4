'use strict';
/**
 * The local end-to-end load: `count` create → result flows against one API with at most `concurrency` in flight,
 * in a process of its own so the client does not share the event loop of the servers it measures. Works with the
 * handlers' answers (`sessionId`, `done`) and the twins' raw Rekognition output (`SessionId`, `Status`). Reports
 * `{ latencies, polls, wallMs }` on fd 3.
 */
const { writeSync } = require('node:fs');
const { AwsV4Signer } = require('aws4fetch');

const [apiUrl, origin, countText, concurrencyText, identityEndpoint, identityPoolId] = process.argv.slice(2);
const count = Number(countText);
const concurrency = Number(concurrencyText);
const FINAL = new Set(['SUCCEEDED', 'FAILED', 'EXPIRED']);
const MAX_POLLS = 20;
const REQUEST_TIMEOUT_MS = 10_000;

/** Guest credentials from the local identity pool stand-in, as a browser gets them (GetId, GetCredentialsForIdentity). */
async function guestCredentials() {
  const call = async (operation, input) => {
    const res = await fetch(identityEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityService.${operation}` },
      body: JSON.stringify(input),
    });
    if (!res.ok) throw new Error(`${operation} answered ${res.status}`);
    return res.json();
  };
  const { IdentityId } = await call('GetId', { IdentityPoolId: identityPoolId });
  const { Credentials: c } = await call('GetCredentialsForIdentity', { IdentityId });
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken };
}

let credentials;
const keyCache = new Map();

/** fetch, SigV4-signed with the guest credentials when the API checks signatures (the handlers' API does). */
async function signedFetch(url, init) {
  if (!credentials) return fetch(url, init);
  const signer = new AwsV4Signer({ url, method: init.method ?? 'GET', headers: init.headers, body: init.body ?? null, service: 'execute-api', region: 'us-east-1', cache: keyCache, ...credentials });
  const signed = await signer.sign();
  return fetch(signed.url, { method: signed.method, headers: signed.headers, body: init.body, signal: init.signal });
}

async function flow() {
  const started = performance.now();
  const created = await signedFetch(`${apiUrl}/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: '{}',
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const createdBody = await created.json();
  const sessionId = createdBody.sessionId ?? createdBody.SessionId;
  if (created.status !== 201 || sessionId === undefined) throw new Error(`create answered ${created.status}: ${JSON.stringify(createdBody).slice(0, 300)}`);
  for (let polls = 1; polls <= MAX_POLLS; polls++) {
    const result = await signedFetch(`${apiUrl}/sessions/${sessionId}/result`, { headers: { origin }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const body = await result.json();
    if (result.status !== 200) throw new Error(`result answered ${result.status}: ${JSON.stringify(body).slice(0, 300)}`);
    if (body.done === true || FINAL.has(body.Status)) return { ms: performance.now() - started, polls };
  }
  throw new Error(`session ${sessionId} not done after ${MAX_POLLS} polls`);
}

async function main() {
  if (identityEndpoint) credentials = await guestCredentials();
  const latencies = [];
  let polls = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      next++;
      const f = await flow();
      latencies.push(f.ms);
      polls += f.polls;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  writeSync(3, JSON.stringify({ latencies, polls, wallMs: performance.now() - started }));
}

main().then(
  () => process.exit(0),
  (error) => {
    writeSync(3, JSON.stringify({ error: String((error && error.stack) || error) }));
    process.exit(1);
  },
);
