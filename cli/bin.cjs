#!/usr/bin/env node
'use strict';
// The package ships TypeScript. tsx compiles it on load (esbuild, no type check, cached), so the bin has no build step
// to forget. A namespaced registration keeps tsx's hooks off any other module this process loads.
const { register } = require('tsx/cjs/api');

register({ namespace: 'face-liveness-cli' }).require('./run.ts', __filename);
