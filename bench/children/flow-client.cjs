'use strict';
/**
 * The local end-to-end load: `count` create → result flows against one API with at most `concurrency` in flight,
 * in a process of its own so the client does not share the event loop of the servers it measures. Works with the
 * handlers' answers (`sessionId`, `done`) and the twins' raw Rekognition output (`SessionId`, `Status`). Reports
 * `{ latencies, polls, wallMs, cpuMs, untimed }` (the timed part's wall and CPU time, and how many
 * untimed flows ran first) on fd 3.
 *
 * The load itself is cheap on purpose (node:http on keep-alive sockets, SigV4 with node:crypto and a cached signing
 * key, as the AWS SDKs sign): the client shares the machine's cores with the servers it measures, and fetch with
 * WebCrypto signing took about 2 ms of CPU per flow, a third of what the whole local stack spends.
 */
const { createHash, createHmac } = require('node:crypto');
const { writeSync } = require('node:fs');
const http = require('node:http');

const [apiUrl, origin, countText, concurrencyText, identityEndpoint, identityPoolId] = process.argv.slice(2);
const count = Number(countText);
const concurrency = Number(concurrencyText);
// The twins answer with Rekognition's raw Status; the parent passes the terminal ones (contract/liveness-model.ts).
const FINAL = new Set((process.env.LIVENESS_TERMINAL_STATUSES || '').split(',').filter(Boolean));
if (FINAL.size === 0) throw new Error('LIVENESS_TERMINAL_STATUSES is not set');
const MAX_POLLS = 20;
const REQUEST_TIMEOUT_MS = 10_000;

/** Guest credentials from the local identity pool stand-in, as a browser gets them (GetId, GetCredentialsForIdentity). */
async function guestCredentials() {
  const call = async (operation, input) => {
    const res = await fetch(identityEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityService.${operation}`,
      },
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
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(concurrencyText) });
const REGION = 'us-east-1';
const SERVICE = 'execute-api';
const signingKeys = new Map();

const sha256Hex = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();

function signingKey(date) {
  let key = signingKeys.get(date);
  if (!key) {
    key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date), REGION), SERVICE), 'aws4_request');
    signingKeys.set(date, key);
  }
  return key;
}

/** SigV4 over method, path (encoded twice, as for every service but S3), host, date, token and the body's hash. */
function sign(method, url, headers, body) {
  const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const date = amzDate.slice(0, 8);
  const signed = { host: url.host, 'x-amz-date': amzDate, 'x-amz-security-token': credentials.sessionToken };
  const names = Object.keys(signed).sort();
  const canonicalPath = url.pathname
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  const canonical = [
    method,
    canonicalPath,
    '',
    names.map((n) => `${n}:${signed[n]}\n`).join(''),
    names.join(';'),
    sha256Hex(body),
  ].join('\n');
  const scope = `${date}/${REGION}/${SERVICE}/aws4_request`;
  const signature = createHmac('sha256', signingKey(date))
    .update(`AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`)
    .digest('hex');
  return {
    ...headers,
    ...signed,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}

/** One request on the keep-alive agent, signed with the guest credentials when the API checks signatures. */
function request(method, target, headers, body = '') {
  const url = new URL(target);
  const allHeaders = credentials ? sign(method, url, headers, body) : headers;
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: { ...allHeaders, 'content-length': Buffer.byteLength(body) },
        timeout: REQUEST_TIMEOUT_MS,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
          } catch (error) {
            reject(error);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

async function flow() {
  const started = performance.now();
  const created = await request('POST', `${apiUrl}/sessions`, { 'content-type': 'application/json', origin }, '{}');
  const sessionId = created.body.sessionId ?? created.body.SessionId;
  if (created.status !== 201 || sessionId === undefined)
    throw new Error(`create answered ${created.status}: ${JSON.stringify(created.body).slice(0, 300)}`);
  for (let polls = 1; polls <= MAX_POLLS; polls++) {
    const result = await request('GET', `${apiUrl}/sessions/${sessionId}/result`, { origin });
    if (result.status !== 200)
      throw new Error(`result answered ${result.status}: ${JSON.stringify(result.body).slice(0, 300)}`);
    if (result.body.done === true || FINAL.has(result.body.Status)) return { ms: performance.now() - started, polls };
  }
  throw new Error(`session ${sessionId} not done after ${MAX_POLLS} polls`);
}

async function main() {
  if (identityEndpoint) credentials = await guestCredentials();
  // Untimed: one flow per slot opens the keep-alive sockets and warms this fresh process, so the chunk's wall time is
  // the servers' steady state, not the client's start.
  const untimed = Math.min(concurrency, count);
  await Promise.all(Array.from({ length: untimed }, flow));
  const latencies = [];
  let polls = 0;
  let next = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const worker = async () => {
    while (next < count) {
      next++;
      const f = await flow();
      latencies.push(f.ms);
      polls += f.polls;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  writeSync(3, JSON.stringify({ latencies, polls, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, untimed }));
}

main().then(
  () => process.exit(0),
  (error) => {
    writeSync(3, JSON.stringify({ error: String((error && error.stack) || error) }));
    process.exit(1);
  },
);
