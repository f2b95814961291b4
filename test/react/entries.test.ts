/**
 * The React entry stays out of the others: loading the construct (`.`) or the client (`./client`, `./server`) never
 * resolves React or Amplify UI, so CDK-only and server-only users need neither (they are optional peers).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** The UI packages an entry asked Node to resolve while it loaded. */
function uiPackagesResolvedBy(entry: string): string[] {
  const probe = `
    const Module = require('node:module');
    const seen = new Set();
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      if (/^(react|react-dom|@aws-amplify\\/)/.test(request)) seen.add(request.split('/').slice(0, request.startsWith('@') ? 2 : 1).join('/'));
      return resolve.call(this, request, ...rest);
    };
    require(${JSON.stringify(entry)});
    process.stdout.write(JSON.stringify([...seen].sort()));
  `;
  const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', probe], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out) as string[];
}

test.each(['./lib/index.ts', './client/index.ts', './client/server.ts'])(
  '%s loads no React and no Amplify UI',
  (entry) => {
    expect(uiPackagesResolvedBy(entry)).toEqual([]);
  },
);

test('the probe sees them when the React entry loads', () => {
  expect(uiPackagesResolvedBy('./react/index.ts')).toEqual(
    expect.arrayContaining(['@aws-amplify/ui-react-liveness', 'react']),
  );
});
