/**
 * Guards what goes into the handler bundles: the cold path must not grow by accident (a CDK import through
 * lib/settings.ts, a tracer, an eager S3 import).
 */
import { build, type Metafile } from 'esbuild';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

async function bundle(entry: string): Promise<Metafile> {
  const result = await build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return result.metafile;
}

/** Packages reachable from the entry through static imports only, i.e. what runs at cold start. */
function staticallyLoaded(metafile: Metafile): Set<string> {
  const seen = new Set<string>();
  const entry = Object.keys(metafile.inputs).find((path) => /lambda\/[\w-]+\/index\.ts$/.test(path))!;
  const queue = [entry];
  while (queue.length > 0) {
    const path = queue.pop()!;
    if (seen.has(path)) continue;
    seen.add(path);
    for (const imported of metafile.inputs[path]?.imports ?? []) {
      if (imported.kind !== 'dynamic-import' && !imported.external) queue.push(imported.path);
    }
  }
  return seen;
}

describe.each(['lambda/create-session/index.ts', 'lambda/get-result/index.ts'])('the bundle of %s', (entry) => {
  let metafile: Metafile;
  beforeAll(async () => {
    metafile = await bundle(entry);
  });

  it('contains no CDK code, no Powertools tracer and no S3 client', () => {
    // Act
    const inputs = Object.keys(metafile.inputs);

    // Assess
    expect(
      inputs.filter((path) =>
        /node_modules\/(aws-cdk-lib|constructs|@aws-lambda-powertools\/tracer|aws-xray-sdk|@aws-sdk\/client-s3)\//.test(
          path,
        ),
      ),
    ).toEqual([]);
  });

  it('does not load the presigner at cold start', () => {
    // Act
    const loaded = [...staticallyLoaded(metafile)];

    // Assess
    expect(loaded.filter((path) => /node_modules\/@aws-sdk\/(client-s3|s3-request-presigner)\//.test(path))).toEqual(
      [],
    );
  });
});

it('finds the lazily imported presigner in the result bundle (so the check above has something to miss)', async () => {
  // Act
  const metafile = await bundle('lambda/get-result/index.ts');

  // Assess
  const inputs = Object.keys(metafile.inputs);
  expect(inputs.some((path) => path.includes('node_modules/@aws-sdk/s3-request-presigner/'))).toBe(true);
  expect(
    inputs.filter((path) => staticallyLoaded(metafile).has(path) && path.includes('@aws-sdk/client-rekognition/'))
      .length,
  ).toBeGreaterThan(0);
});
