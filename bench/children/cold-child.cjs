'use strict';
/**
 * One cold start: load a bundle and serve one invocation, as the Lambda runtime would, then exit. With `-` instead of
 * a bundle it is the empty-Node baseline (same script, same environment, same event read). Reports on fd 3:
 * `{ loadMs, invokeMs, statusCode, cpuMs }` (times from this script's first line, so Node's own boot is not in them).
 */
const t0 = performance.now();
const { readFileSync, writeSync } = require('node:fs');
const { pathToFileURL } = require('node:url');
const lambdaContext = require('./lambda-context.cjs');

const [bundle, eventFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
// CPU time of the whole process so far (all threads, Node's boot included): far less sensitive than wall time to
// other processes competing for the same cores.
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const report = (value) => writeSync(3, JSON.stringify({ ...value, cpuMs: cpuMs() }));

if (bundle === '-') {
  report({ loadMs: 0, invokeMs: 0, startMs: t0 });
  process.exit(0);
}

const load = bundle.endsWith('.mjs') ? import(pathToFileURL(bundle).href) : Promise.resolve(require(bundle));
load
  .then((mod) => {
    const t1 = performance.now();
    return Promise.resolve(mod.handler(event, lambdaContext())).then((response) => {
      const t2 = performance.now();
      report({ loadMs: t1 - t0, invokeMs: t2 - t1, startMs: t0, statusCode: response && response.statusCode });
      process.exit(0);
    });
  })
  .catch((error) => {
    report({ error: String((error && error.stack) || error) });
    process.exit(1);
  });
