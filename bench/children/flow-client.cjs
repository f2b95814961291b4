'use strict';
/**
 * The local end-to-end load: `count` create → result flows against one API with at most `concurrency` in flight,
 * in a process of its own so the client does not share the event loop of the servers it measures. Works with the
 * handlers' answers (`sessionId`, `done`) and the twins' raw Rekognition output (`SessionId`, `Status`). Reports
 * `{ latencies, polls, wallMs }` on fd 3.
 */
const { writeSync } = require('node:fs');

const [apiUrl, origin, countText, concurrencyText] = process.argv.slice(2);
const count = Number(countText);
const concurrency = Number(concurrencyText);
const FINAL = new Set(['SUCCEEDED', 'FAILED', 'EXPIRED']);
const MAX_POLLS = 20;
const REQUEST_TIMEOUT_MS = 10_000;

async function flow() {
  const started = performance.now();
  const created = await fetch(`${apiUrl}/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: '{}',
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const createdBody = await created.json();
  const sessionId = createdBody.sessionId ?? createdBody.SessionId;
  if (created.status !== 201 || sessionId === undefined) throw new Error(`create answered ${created.status}: ${JSON.stringify(createdBody).slice(0, 300)}`);
  for (let polls = 1; polls <= MAX_POLLS; polls++) {
    const result = await fetch(`${apiUrl}/sessions/${sessionId}/result`, { headers: { origin }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const body = await result.json();
    if (result.status !== 200) throw new Error(`result answered ${result.status}: ${JSON.stringify(body).slice(0, 300)}`);
    if (body.done === true || FINAL.has(body.Status)) return { ms: performance.now() - started, polls };
  }
  throw new Error(`session ${sessionId} not done after ${MAX_POLLS} polls`);
}

async function main() {
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
