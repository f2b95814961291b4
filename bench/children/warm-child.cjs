'use strict';
/**
 * One warm variant: loads a "warm" bundle (bench/build.ts), stubs `send` on the bundle's own smithy Client class with
 * the canned answers (no network, no serialization: only the handler's own work is left), then runs batches of
 * invocations on request from the parent over IPC and answers with microseconds per invocation (wall and CPU).
 */
const { readFileSync } = require('node:fs');
const { pathToFileURL } = require('node:url');

const [bundle, eventFile, answersFile, hookName] = process.argv.slice(2);
// The runtime hands every invocation a freshly parsed event (and middy's body parser replaces event.body in place).
const eventText = readFileSync(eventFile, 'utf8');
const answers = JSON.parse(readFileSync(answersFile, 'utf8'));
const context = require('./lambda-context.cjs')();
const metadata = { httpStatusCode: 200, requestId: 'bench-request', attempts: 1, totalRetryDelay: 0 };

function operationOf(command) {
  const schema = command && command.schema;
  return Array.isArray(schema) ? schema[2] : schema && schema.name;
}

function stubbedSend(command) {
  const answer = answers[operationOf(command)];
  if (answer === undefined) return Promise.reject(new Error(`no canned answer for ${operationOf(command)}`));
  const output = { ...answer, $metadata: metadata };
  // The one blob among the answers: KMS Sign's signature arrives as bytes from the SDK.
  if (typeof output.Signature === 'string') output.Signature = Buffer.from(output.Signature, 'base64');
  return Promise.resolve(output);
}

let expectedStatus;
async function run(handler, n) {
  for (let i = 0; i < n; i++) {
    const response = await handler(JSON.parse(eventText), context);
    if (response.statusCode !== expectedStatus)
      throw new Error(`invocation answered ${response.statusCode}: ${response.body}`);
  }
}

async function main() {
  const load = bundle.endsWith('.mjs') ? import(pathToFileURL(bundle).href) : Promise.resolve(require(bundle));
  const { handler } = await load;
  const classes = globalThis[hookName] || [];
  if (classes.length === 0) throw new Error('the warm hook found no smithy Client class');
  for (const Client of classes) Client.prototype.send = stubbedSend;
  const first = await handler(JSON.parse(eventText), context);
  expectedStatus = first && first.statusCode;
  process.send({ type: 'ready', statusCode: expectedStatus });
  process.on('message', (message) => {
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    run(handler, message.n).then(
      () => {
        const micros = Number(process.hrtime.bigint() - started) / 1e3 / message.n;
        const used = process.cpuUsage(cpu);
        process.send({ type: 'batch', micros, cpuMicros: (used.user + used.system) / message.n });
      },
      (error) => process.send({ type: 'error', error: String((error && error.stack) || error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}

main().catch((error) => {
  process.send({ type: 'error', error: String((error && error.stack) || error) });
  process.exit(1);
});
