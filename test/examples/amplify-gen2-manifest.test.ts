/**
 * examples/amplify-gen2's package.json and lockfile stand on their own: the package by name and version range, the
 * unpublished package resolved to a tarball beside package.json (without an integrity, so each new pack installs), the
 * CLIs and types it runs with as its own devDependencies. Cheap checks; amplify-gen2.test.ts installs and builds it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'amplify-gen2');
const json = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
const root = json(join(ROOT, 'package.json'));
const example = json(join(EXAMPLE, 'package.json'));
const lock = json(join(EXAMPLE, 'package-lock.json'));
const tarball = `face-liveness-backend-${root.version}.tgz`;

test('depends on face-liveness-backend by name, with a range that takes this version', () => {
  expect(example.dependencies['face-liveness-backend']).toBe(`^${root.version}`);
  expect(lock.packages[''].dependencies['face-liveness-backend']).toBe(`^${root.version}`);
});

test('the lockfile resolves it to the tarball npm pack writes, beside package.json, with its dependencies', () => {
  const entry = lock.packages['node_modules/face-liveness-backend'];
  expect(entry).toMatchObject({ version: root.version, resolved: `file:${tarball}`, dependencies: root.dependencies });
  // An integrity would pin one build's bytes: npm ci would refuse (or take from its cache) every later pack.
  expect(entry.integrity).toBeUndefined();
});

test("the Amplify CLI, the CDK CLI (the repository's release line) and @types/node are devDependencies", () => {
  expect(Object.keys(example.devDependencies)).toEqual(
    expect.arrayContaining(['@aws-amplify/backend-cli', 'aws-cdk', '@types/node']),
  );
  expect(example.devDependencies['aws-cdk']).toBe(root.devDependencies['aws-cdk'].replace(/^[~^]/, ''));
  expect(example.scripts.sandbox).toBe('ampx sandbox');
});

test('an offline build path: the sample outputs carry custom.faceLiveness, and both tsc and vite fall back to them', () => {
  const sample = json(join(EXAMPLE, 'amplify_outputs.sample.json'));
  expect(Object.keys(sample.custom.faceLiveness).sort()).toEqual(['apiUrl', 'authorization', 'region']);
  expect(json(join(EXAMPLE, 'tsconfig.json')).compilerOptions.paths['@amplify-outputs']).toEqual([
    './amplify_outputs.json',
    './amplify_outputs.sample.json',
  ]);
  expect(readFileSync(join(EXAMPLE, 'vite.config.ts'), 'utf8')).toMatch(/amplify_outputs\.sample\.json/);
  expect(readFileSync(join(EXAMPLE, 'src', 'main.tsx'), 'utf8')).toMatch(/from '@amplify-outputs'/);
});

test('the README says how to install from the tarball', () => {
  const readme = readFileSync(join(EXAMPLE, 'README.md'), 'utf8');
  expect(readme).toContain(`file:${tarball}`);
  expect(readme).toContain('npm pack --pack-destination examples/amplify-gen2');
  expect(readme).toContain(`face-liveness-backend@^${root.version}`);
});
