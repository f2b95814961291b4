#!/usr/bin/env node
'use strict';
// The installed package runs the compiled CLI (dist/cli/run.js, built by `npm run build`): no tsx, no TypeScript.
// In a source checkout (cli/run.ts next to this file, tsx installed as a dev dependency) it runs the sources instead,
// so a stale build is never what a developer tests; a namespaced registration keeps tsx's hooks off other modules.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const source = join(__dirname, 'run.ts');
let tsx;
if (existsSync(source)) {
  try {
    tsx = require('tsx/cjs/api');
  } catch {
    // no dev dependencies: fall back to the build
  }
}
if (tsx) {
  tsx.register({ namespace: 'face-liveness-cli' }).require('./run.ts', __filename);
} else {
  require(join(__dirname, '..', 'dist', 'cli', 'run.js'));
}
